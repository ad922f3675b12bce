import Foundation
import Mustache

/// The message templates, `<purpose>.<language>.<kind>.mustache` with kind `subject`, `text`,
/// `html` or `sms`: the built-in set shipped with the service, then any file of the same name in
/// the shop's `templates_dir`, which wins. Loaded once at start-up.
struct TemplateBook: Sendable {
    static let kinds = ["subject", "text", "html", "sms"]
    static let languages = ["zh-CN", "en"]
    private var templates: [String: MustacheTemplate] = [:]

    /// The message in the customer's language (the other one when a template is missing).
    struct Rendered: Sendable {
        var language: String
        var subject: String
        var text: String
        var html: String?
        var sms: String
    }

    init(overrides directory: String?) throws {
        guard let builtIn = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw TemplateError.missingBuiltIns
        }
        try load(from: builtIn)
        if let directory { try load(from: URL(fileURLWithPath: directory)) }
    }

    private mutating func load(from directory: URL) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw TemplateError.unreadableDirectory(directory.path)
        }
        for file in names where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            let kind = name.split(separator: ".").last.map(String.init) ?? ""
            guard Self.kinds.contains(kind) else { continue }
            let source = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            // Only HTML is escaped; a subject, plain text and SMS go out as written.
            let text = kind == "html" ? source : "{{% CONTENT_TYPE: TEXT}}" + source
            do {
                templates[name] = try MustacheTemplate(string: text)
            } catch {
                throw TemplateError.badTemplate(file: directory.appendingPathComponent(file).path, detail: "\(error)")
            }
        }
    }

    func has(purpose: String) -> Bool {
        Self.languages.contains { templates["\(purpose).\($0).text"] != nil }
    }

    func render(purpose: String, language: String, variables: [String: String]) throws -> Rendered {
        let order = [language] + Self.languages.filter { $0 != language }
        guard let chosen = order.first(where: { templates["\(purpose).\($0).text"] != nil }) else {
            throw TemplateError.noTemplate(purpose: purpose)
        }
        func render(_ kind: String) -> String? {
            templates["\(purpose).\(chosen).\(kind)"]?.render(variables)
        }
        let text = render("text") ?? ""
        return Rendered(
            language: chosen,
            subject: (render("subject") ?? purpose).trimmingCharacters(in: .whitespacesAndNewlines),
            text: text,
            html: render("html"),
            sms: (render("sms") ?? text).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// A template problem found at start-up or when rendering.
struct TemplateError: Error, CustomStringConvertible {
    private enum Kind {
        case missingBuiltIns
        case unreadableDirectory(String)
        case badTemplate(file: String, detail: String)
        case noTemplate(purpose: String)
    }

    private let kind: Kind
    static let missingBuiltIns = TemplateError(kind: .missingBuiltIns)
    static func unreadableDirectory(_ path: String) -> TemplateError { TemplateError(kind: .unreadableDirectory(path)) }
    static func badTemplate(file: String, detail: String) -> TemplateError { TemplateError(kind: .badTemplate(file: file, detail: detail)) }
    static func noTemplate(purpose: String) -> TemplateError { TemplateError(kind: .noTemplate(purpose: purpose)) }

    var description: String {
        switch kind {
        case .missingBuiltIns:
            return "the built-in templates are missing from the service's resources; reinstall the service"
        case .unreadableDirectory(let path):
            return "notifications.templates_dir: cannot read the folder \(path)"
        case .badTemplate(let file, let detail):
            return "template \(file) does not parse: \(detail)"
        case .noTemplate(let purpose):
            return "no template \(purpose).<language>.text.mustache; add one to notifications.templates_dir"
        }
    }
}
