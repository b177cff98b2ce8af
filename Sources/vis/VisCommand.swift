import ArgumentParser
import Visualization

/// The `vis` command-line tool.
@main
struct VisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vis",
        abstract: "Visualize and record deep-learning training: draw, convert, log.",
        discussion: """
            Exit status: 0 on success; 64 for a usage error (an unknown option, a missing or malformed value, a \
            value out of range, an unsupported output extension), reported with a usage line; 1 when the data or \
            the file system fails (an unreadable or invalid input file, a failed write), reported with the \
            message alone. Negative numbers are values: `--topk -1`.
            """,
        version: VisualizationVersion.string,
        subcommands: [
            DemoCommand.self,
            DrawCommand.self,
            DatasampleCommand.self,
            FeatmapCommand.self,
            PlotCommand.self,
            TsneCommand.self,
            ConvertCommand.self,
            TensorboardCommand.self,
            ReconstructCommand.self,
            BrowseCommand.self,
        ])

    /// Parses the command line and runs the command, mapping every error to the exit status the help promises.
    ///
    /// Usage errors come from parsing and the commands' `validate()`: the parser prints them with a usage line and
    /// exits with 64 (`EX_USAGE`). Whatever a command's `run()` throws is about the data or the file system: it is
    /// printed as a ``CommandFailure`` (Foundation errors in words, not as a dump) and exits with 1.
    static func main() {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            var command = command
            try command.run()
        } catch {
            // The parser's own errors (a help request from the `help` subcommand, a clean exit, an exit code, a
            // usage error) keep their meaning; anything else is a failure of the data or the file system.
            let parserStatus = exitCode(for: error)
            if error is ExitCode || parserStatus != .failure { exit(withError: error) }
            exit(withError: CommandFailure(describing: error))
        }
    }
}
