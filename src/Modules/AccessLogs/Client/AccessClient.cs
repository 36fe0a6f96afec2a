using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.AccessJson))]

namespace ThingLedger.Client
{
    /// <summary>Access logs: a subject's entries, newest first.</summary>
    public sealed partial class ThingLedgerClient
    {
        public async Task<List<AccessEntryView>> GetAccessLogAsync(Address subject, CancellationToken cancellationToken = default) =>
            await GetOrNullAsync($"v1/access/{subject}", AccessJson.Default.ListAccessEntryView, cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>The access module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
    [JsonSerializable(typeof(List<AccessEntryView>))]
    public sealed partial class AccessJson : JsonSerializerContext;
}

namespace ThingLedger.Client.Contracts
{
    /// <summary>An entry of a subject's access log: its number, kind, the commitment (hash only), who recorded it, when (Unix ms) and in which block.</summary>
    public sealed record AccessEntryView(ulong Entry, string Kind, string Commitment, string RecordedBy, ulong Time, ulong Height);
}
