import Foundation

/// The rank of this process in a distributed run, read from the launcher's environment.
///
/// MMEngine asks `torch.distributed`; a Swift process has no such runtime, so it reads what the launchers set:
/// `RANK` (torchrun, `torch.distributed.launch`, MPI wrappers), else `SLURM_PROCID` (Slurm's `srun`), else
/// `LOCAL_RANK`, else 0. When `WORLD_SIZE` is set the rank must be below it. Only rank 0 stores anything
/// (see ``Visualizer/rank``).
public enum ProcessRank {
    /// The variables consulted for the rank, in order of precedence.
    public static let rankVariables = ["RANK", "SLURM_PROCID", "LOCAL_RANK"]

    /// The rank in `environment` (default: this process's environment).
    ///
    /// - Throws: ``VisualizerError/invalidEnvironment(variable:expected:actual:)`` when a variable is not a
    ///   non-negative integer, `WORLD_SIZE` is not a positive integer, or the rank is not below `WORLD_SIZE`.
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int {
        var rank = 0
        var source: String?
        for variable in rankVariables {
            guard let text = environment[variable] else { continue }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let value = Int(trimmed), value >= 0 else {
                throw VisualizerError.invalidEnvironment(
                    variable: variable, expected: "a non-negative integer", actual: text)
            }
            rank = value
            source = variable
            break
        }
        if let text = environment["WORLD_SIZE"] {
            guard let worldSize = Int(text.trimmingCharacters(in: .whitespaces)), worldSize > 0 else {
                throw VisualizerError.invalidEnvironment(
                    variable: "WORLD_SIZE", expected: "a positive integer", actual: text)
            }
            if let source, rank >= worldSize {
                throw VisualizerError.invalidEnvironment(
                    variable: source, expected: "a rank below WORLD_SIZE=\(worldSize)", actual: String(rank))
            }
        }
        return rank
    }
}
