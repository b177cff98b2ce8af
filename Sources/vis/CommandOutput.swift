import Foundation

/// Where a command's files went, said the same way by every command: `<command>: <path>` on standard output
/// (standard error when standard output carries data, such as a JSON summary), so that scripts and people can
/// find the outputs.
enum CommandOutput {
    /// Prints `command: path` for each written file.
    static func report(_ command: String, wrote paths: [String], onStandardError: Bool = false) {
        let text = Data(paths.map { "\(command): \($0)\n" }.joined().utf8)
        (onStandardError ? FileHandle.standardError : FileHandle.standardOutput).write(text)
    }
}
