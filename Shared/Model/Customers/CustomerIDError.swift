/// Why a text is not a customer id.
public struct CustomerIDError: Error, CustomStringConvertible {
    private enum Reason {
        case empty
        case missingSeparator(String)
        case emptyPart(String, String)
        case invalidSource(String)
    }

    private let reason: Reason

    private init(_ reason: Reason) {
        self.reason = reason
    }

    static let empty = CustomerIDError(.empty)

    static func missingSeparator(in text: String) -> CustomerIDError {
        CustomerIDError(.missingSeparator(text))
    }

    static func emptyPart(_ part: String, in text: String) -> CustomerIDError {
        CustomerIDError(.emptyPart(part, text))
    }

    static func invalidSource(_ source: String) -> CustomerIDError {
        CustomerIDError(.invalidSource(source))
    }

    public var description: String {
        let shape = "expected <source>:<store>:<external id>, e.g. shopify:snowdevil.myshopify.com:706405506930370084"
        switch reason {
        case .empty:
            return "customer id is empty; \(shape)"
        case .missingSeparator(let text):
            return "customer id \(text.debugDescription) has fewer than two ':' separators; \(shape)"
        case .emptyPart(let part, let text):
            return "customer id \(text.debugDescription) has an empty \(part); \(shape)"
        case .invalidSource(let source):
            return "customer id source \(source.debugDescription) may contain only a-z, 0-9, '_' and '-'"
        }
    }
}
