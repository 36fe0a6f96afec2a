using System.CommandLine;
using System.Globalization;
using ThingLedger.Cli.Modules;
using ThingLedger.Execution.Modules.AccessLogs;

namespace ThingLedger.Cli.Commands;

/// <summary>access log: a subject's access log (docs/ACCESS.md).</summary>
internal static class AccessCommands
{
    public static Command Create()
    {
        var subject = new Argument<string>("subject") { Description = "The subject: an address, or a key name" };
        var log = new Command("log", "A subject's access log, newest first: each entry's kind, its commitment (what it records stays with the subject), who recorded it and when.\n" +
                "Example: thingledger access log mei")
            .With(subject)
            .Runs(async (parse, cli, ct) =>
            {
                var address = cli.ResolveAddress(parse.GetValue(subject)!);
                var entries = await cli.Client.GetAccessLogAsync(address, ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(entries);
                }
                else
                {
                    Output.Rows($"access log of {address}", ["entry", "when", "kind", "commitment", "recorded by", "block"], entries.Select(e => new[]
                        { e.Entry.ToString(CultureInfo.InvariantCulture), Output.Time(e.Time), e.Kind, e.Commitment, e.RecordedBy, e.Height.ToString(CultureInfo.InvariantCulture) }));
                }
                return 0;
            });
        return new Command("access", "Access logs: who was given or checked a subject's data, as commitments only (docs/ACCESS.md).").With(log);
    }
}

/// <summary>The access module's commands.</summary>
internal sealed class AccessCli : CliModule
{
    public override string Module => AccessNames.ModuleName;

    public override IEnumerable<Command> Commands() => [AccessCommands.Create()];
}
