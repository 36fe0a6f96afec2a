using System.CommandLine;
using ThingLedger.Cli.Modules;
using ThingLedger.Client.Contracts;
using ThingLedger.Execution.Modules.Epcis;

namespace ThingLedger.Cli.Commands;

/// <summary>epcis item: a GS1 identifier in each of its forms (docs/EPCIS.md "Identifiers").</summary>
internal static class EpcisCommands
{
    public static Command Create() =>
        new Command("epcis", "Supply-chain provenance on GS1 EPCIS 2.0 (docs/EPCIS.md). So far: GS1 identifiers.").With(Item());

    private static Command Item()
    {
        var name = new Argument<string>("id") { Description = "A GS1 Digital Link URI, an EPC URN, or an element string such as (01)09506000134352(21)ABC123" };
        var prefix = new Option<int?>("--prefix-length") { Description = "The GS1 company prefix's length (6–12 digits), to write the EPC URN of an id given otherwise" };
        var resolver = new Option<string>("--resolver") { Description = "The Digital Link resolver to write the id on", DefaultValueFactory = _ => "https://id.gs1.org" };
        return new Command("item", "An item's, lot's, logistic unit's or location's GS1 identifier checked (check digit, characters) and written in each form: " +
                "element string, GS1 Digital Link, EPC URN.\n" +
                "Example: thingledger epcis item https://id.example.com/01/09506000134352/21/ABC123 --prefix-length 7\n" +
                "         thingledger epcis item urn:epc:id:sscc:0614141.1234567890")
            .With(name, prefix, resolver)
            .Runs((parse, cli, _) =>
            {
                var text = parse.GetValue(name)!;
                var view = Gs1Id.Parse(text, out var error) is { } id ? Gs1IdView.Of(id, text, parse.GetValue(prefix), parse.GetValue(resolver)!, out error) : null;
                if (view is null)
                {
                    throw new FormatException($"{error!.Code}: {error.Message}");
                }
                if (cli.Json)
                {
                    Output.Json(view);
                    return Task.FromResult(0);
                }
                Output.Fields($"{view.Kind.ToUpperInvariant()} {view.ElementString}", ("key", view.Key), ("qualifier", view.Qualifier), ("digital link", view.DigitalLink),
                    ("EPC URN", view.EpcUrn ?? "give --prefix-length (the GS1 company prefix's digits) to write it"));
                return Task.FromResult(0);
            });
    }
}

/// <summary>The epcis module's commands.</summary>
internal sealed class EpcisCli : CliModule
{
    public override string Module => EpcisModule.ModuleName;

    public override IEnumerable<Command> Commands() => [EpcisCommands.Create()];
}
