import ArgumentParser
import Visualization

/// The `vis` command-line tool.
@main
struct VisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vis",
        abstract: "Visualize and record deep-learning training: draw, convert, log.",
        version: VisualizationVersion.string,
        subcommands: [
            DemoCommand.self,
            DrawCommand.self,
            DatasampleCommand.self,
            FeatmapCommand.self,
            TsneCommand.self,
            ConvertCommand.self,
            TensorboardCommand.self,
            TensorboardWriteLoopCommand.self,
        ])
}
