using System.Text;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Epcis;

namespace ThingLedger.Execution.Tests.Modules.Epcis;

/// <summary>A chain whose custodian (acme's validator key) anchors EPCIS documents as a node would, after reading them.</summary>
internal sealed class EpcisTestChain
{
    public const string Item1 = "urn:epc:id:sgtin:0614141.107346.1001";
    public const string Item2 = "urn:epc:id:sgtin:0614141.107346.1002";
    public const string Pallet1 = "urn:epc:id:sscc:0614141.1000000001";
    public const string Pallet2 = "urn:epc:id:sscc:0614141.1000000002";
    public const string Mill = "urn:epc:id:sgln:0614141.00001.0";

    private ulong _anchored;
    private int _minute;

    public TestChain Chain { get; } = new();

    /// <summary>Lets time pass before the next event.</summary>
    public void Skip(int minutes) => _minute += minutes;

    /// <summary>The next event time: a minute after the last, before the chain's clock.</summary>
    public string NextTime() => DateTimeOffset.FromUnixTimeMilliseconds((long)Chain.Clock - 86_400_000 + (60_000L * ++_minute)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Document(params string[] events) =>
        """{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld",{"ex":"https://ns.example.com/epcis/"}],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[""" +
        string.Join(',', events) + "]}}";

    public string Commission(params string[] epcs) => Object("ADD", "commissioning", epcs);

    public string Object(string action, string bizStep, params string[] epcs) =>
        $$"""{"type":"ObjectEvent","eventTime":"{{NextTime()}}","eventTimeZoneOffset":"+00:00","action":"{{action}}","bizStep":"{{bizStep}}","epcList":[{{string.Join(',', epcs.Select(e => $"\"{e}\""))}}],"bizLocation":{"id":"{{Mill}}"}""" + "}";

    public string Aggregate(string action, string parent, params string[] children) =>
        $$"""{"type":"AggregationEvent","eventTime":"{{NextTime()}}","eventTimeZoneOffset":"+00:00","action":"{{action}}","bizStep":"packing","parentID":"{{parent}}","childEPCs":[{{string.Join(',', children.Select(e => $"\"{e}\""))}}]}""";

    public EpcisReadResult Read(string document) => EpcisDocumentReader.Read(Encoding.UTF8.GetBytes(document), Chain.Clock, EpcisModule.MaxAheadMs);

    public IReadOnlyList<EpcisParsedEvent> Events(string document)
    {
        var read = Read(document);
        Assert.True(read.Ok, string.Join("; ", read.Errors.Select(e => $"{e.Code} {e.Message}")));
        return read.Events;
    }

    /// <summary>Anchors the document's events as one capture by <paramref name="capturer"/> (acme's admin by default).</summary>
    public Receipt Anchor(string document, KeyPair? capturer = null, KeyPair? node = null, Func<EpcisAnchorPayload, EpcisAnchorPayload>? tamper = null)
    {
        var events = Events(document);
        var records = events.Select(e => e.Record).ToArray();
        var key = capturer ?? Chain.AcmeAdmin;
        var capture = new EpcisChunk(key.PublicKey, key.Sign(EpcisCaptureSigning.ChunkDigest(TestChain.ChainId, records, 0, records.Length)), (uint)records.Length);
        var payload = new EpcisAnchorPayload(_anchored + 1, _anchored + (ulong)records.Length, EpcisAnchorPayload.RootOf(records), [capture], records);
        payload = tamper?.Invoke(payload) ?? payload;
        var receipt = Chain.Run(Chain.Tx(node ?? Chain.AcmeAdmin, EpcisModule.ModuleName, EpcisModule.Anchor, payload, gasLimit: Gas.AnchorTxLimit));
        _anchored += receipt.Succeeded ? (ulong)records.Length : 0;
        return receipt;
    }

    public Receipt AnchorOk(string document)
    {
        var receipt = Anchor(document);
        Assert.True(receipt.Succeeded, receipt.ErrorCode);
        return receipt;
    }

    public static string Id(string epc) => EpcisDocumentReader.CanonicalId(epc, out _)!;

    public ItemRecord? Item(string epc) => EpcisModule.ReadItem(Chain, Id(epc));

    public IReadOnlyList<ItemFlagRecord> Flags(string epc) => Item(epc) is { } item ? [.. EpcisModule.ReadFlags(Chain, item)] : [];
}
