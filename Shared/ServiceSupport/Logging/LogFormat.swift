/// How a service writes its logs (`RAPPORT_LOG_FORMAT`): `text` for people at a terminal,
/// `json` (one object per line) for log collectors.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}
