using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.AccessLogs;
using ThingLedger.Node.Api;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.AccessLogs;

/// <summary>A subject's access log read from committed state.</summary>
public sealed class AccessQueries(LedgerStore store)
{
    public List<AccessEntryView> Log(Address subject) => store.Consistent(_ =>
        LedgerLists.Decoded(store, AccessLog.EntriesPrefix(subject), AccessEntry.Read)
            .Select(e => new AccessEntryView(ulong.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture), e.Record.Kind, e.Record.Commitment.ToString(),
                e.Record.RecordedBy.ToString(), e.Record.Time, e.Record.Height))
            .Reverse().ToList());
}

/// <summary>The access module's node part: a subject's access log.</summary>
internal sealed class AccessNode : NodeModule
{
    public override string Module => AccessNames.ModuleName;

    public override void AddServices(IServiceCollection services) => services.AddSingleton<AccessQueries>();

    public override void MapApi(RouteGroupBuilder v1) =>
        v1.MapGet("/access/{subject}", Log).WithTags("Access").WithName("GetAccessLog")
            .WithSummary("A subject's access log, newest first: each entry's kind, the commitment to what it records (hash only), who recorded it and when.");

    private static Results<Ok<List<AccessEntryView>>, ProblemHttpResult> Log(string subject, AccessQueries access) =>
        Address.TryParse(subject, out var address) ? TypedResults.Ok(access.Log(address)) : Problems.BadRequest($"'{subject}' is not an address (tl + 48 hex digits)");
}
