/// Parses hex dumps of event-file bytes: whitespace-separated hex bytes and `"quoted"` ASCII text.
func tensorboardHex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let character = text[index]
        if character == "\"" {
            let start = text.index(after: index)
            let end = text[start...].firstIndex(of: "\"") ?? text.endIndex
            bytes += Array(text[start..<end].utf8)
            index = end < text.endIndex ? text.index(after: end) : end
        } else if character.isHexDigit {
            let next = text.index(after: index)
            bytes.append(UInt8(String(text[index...next]), radix: 16) ?? 0)
            index = text.index(after: next)
        } else {
            index = text.index(after: index)
        }
    }
    return bytes
}
