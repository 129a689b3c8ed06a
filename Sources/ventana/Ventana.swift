import ArgumentParser
import VentanaServer

@main
struct Ventana: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A WhatsApp customer-service inbox that keeps every 24-hour window in sight.",
        subcommands: [Serve.self, Migrate.self, Agents.self, GraphFakeCommand.self],
        defaultSubcommand: Serve.self)
}
