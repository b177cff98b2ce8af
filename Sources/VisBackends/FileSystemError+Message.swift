import Foundation

/// The system's own sentence for a file-system error (`The file “x” doesn’t exist.`), used as the `reason` of
/// ``VisBackendError/io(path:reason:)``; the path is named by the error case, so the sentence need not repeat it.
package func _systemMessage(of error: any Error) -> String {
    (error as NSError).localizedDescription
}
