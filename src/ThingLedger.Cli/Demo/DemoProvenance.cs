using System.Globalization;
using System.Text;
using ThingLedger.Client;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Node;

namespace ThingLedger.Cli.Demo;

/// <summary>
/// The demo's provenance (docs/EPCIS.md), over the last six days: a rice cooperative harvests a
/// paddy lot, mills it, packs it into bags, cases and a pallet, and ships it with a humidity logger
/// (a registered device the sensor data names) that raises one alarm on the way; a retailer receives it, unpacks it and sells a bag. A medicine
/// maker ships a pack to a pharmacy, which dispenses it; a second scan of the same pack at the
/// counter reports a second dispense, and the chain flags the pack publicly.
/// </summary>
internal static class DemoProvenance
{
    /// <summary>The demo's supply-chain organisations, besides the sample ones.</summary>
    public static readonly OrgSpec[] Orgs =
    [
        new("ricecoop", "Riverside Rice Cooperative (paddy, mill, packing)"),
        new("freshmart", "FreshMart (distribution and stores)"),
        new("medico", "Medico Pharmaceuticals"),
        new("citycare", "CityCare Pharmacy"),
    ];

    private const string Paddy = "urn:epc:class:lgtin:9506000.013435.PADDY-2611";
    private const string Milled = "urn:epc:class:lgtin:9506000.013435.MILL-2611";
    private const string Case = "urn:epc:id:sscc:9506000.3000000001";
    private const string Pallet = "urn:epc:id:sscc:9506000.3000000002";
    private const string Pack = "urn:epc:id:sgtin:9506000.054321.MED-0001";

    private static readonly string[] Bags = [.. Enumerable.Range(1, 4).Select(i => $"urn:epc:id:sgtin:9506000.013435.BAG-{i:D4}")];

    // Farm, mill and packing plant in Heilongjiang; distribution centre and store in Shanghai; the medicine maker and the pharmacy in Shanghai.
    private static readonly (string Org, string Gln, string Name, decimal Lat, decimal Lon)[] Places =
    [
        ("ricecoop", "urn:epc:id:sgln:9506000.10001.0", "paddy fields", 45.7500m, 126.6300m),
        ("ricecoop", "urn:epc:id:sgln:9506000.10002.0", "mill", 45.8000m, 126.5500m),
        ("ricecoop", "urn:epc:id:sgln:9506000.10003.0", "packing plant", 45.8100m, 126.5600m),
        ("freshmart", "urn:epc:id:sgln:9506000.20001.0", "distribution centre", 31.3200m, 121.3800m),
        ("freshmart", "urn:epc:id:sgln:9506000.20002.0", "store", 31.2300m, 121.4700m),
        ("medico", "urn:epc:id:sgln:9506000.30001.0", "plant", 31.0500m, 121.2200m),
        ("citycare", "urn:epc:id:sgln:9506000.40001.0", "pharmacy", 31.2200m, 121.4600m),
    ];

    public static async Task RunAsync(ThingLedgerClient client, KeyStore keys, string chainId, Action<string> progress, CancellationToken ct)
    {
        if (Orgs.Any(o => !keys.Contains(DevChain.AdminKeyName(o.Id))))
        {
            progress("provenance: this chain was made before the demo had supply-chain organisations; start a new demo to see the rice and the medicine pack");
            return;
        }
        var bag = EpcisDocumentReader.CanonicalId(Bags[0], out _)!;
        if (await client.GetEpcisItemAsync(bag, ct).ConfigureAwait(false) is not null)
        {
            progress($"provenance: the rice and the medicine pack are on chain: {bag} (a bag's journey) and /epcis (the flagged pack)");
            return;
        }
        var admins = new Dictionary<string, Account>(StringComparer.Ordinal);
        foreach (var org in Orgs)
        {
            admins[org.Id] = await Account.OpenAsync(client, keys.Load(DevChain.AdminKeyName(org.Id)), chainId, ct).ConfigureAwait(false);
        }
        // The pallet's humidity logger is a device of the cooperative: the shipment's sensor data names it, and its own signed readings are on the ledger.
        var logger = keys.Contains("rice-logger") ? keys.Load("rice-logger") : keys.Create("rice-logger");
        var locations = new List<Transaction>();
        if (await client.GetDeviceAsync(logger.Address, ct).ConfigureAwait(false) is null)
        {
            locations.Add(admins["ricecoop"].Sign(Operations.RegisterDevice(logger, chainId, "ricecoop", "HUM-LOG", "HL-0001", admins["ricecoop"].Address)));
        }
        foreach (var (org, gln, _, lat, lon) in Places)
        {
            locations.Add(admins[org].Sign(Operations.EpcisLocation(EpcisDocumentReader.CanonicalId(gln, out _)!, "CN", Micro(lat), Micro(lon))));
        }
        await client.SubmitAllCommittedAsync(locations, "the demo's provenance step (registering locations)", cancellationToken: ct).ConfigureAwait(false);

        var start = DateTimeOffset.UtcNow.AddDays(-6);
        string At(double hours) => start.AddHours(hours).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        string Where(int place) => place < 0 ? string.Empty : $$""","bizLocation":{"id":"{{Places[place].Gln}}"}""";
        static string Ids(IEnumerable<string> ids) => string.Join(',', ids.Select(i => $"\"{i}\""));
        static string Kilos(string lot, int kg) => $$"""{"epcClass":"{{lot}}","quantity":{{kg}},"uom":"KGM"}""";
        string Observe(double hours, string action, string bizStep, string disposition, int place, string epc, string extra = "") =>
            $$"""{"type":"ObjectEvent","eventTime":"{{At(hours)}}","eventTimeZoneOffset":"+08:00","action":"{{action}}","bizStep":"{{bizStep}}","disposition":"{{disposition}}","epcList":["{{epc}}"]{{Where(place)}}{{extra}}""" + "}";
        string Aggregate(double hours, string action, string bizStep, int place, string parent, IEnumerable<string> children) =>
            $$"""{"type":"AggregationEvent","eventTime":"{{At(hours)}}","eventTimeZoneOffset":"+08:00","action":"{{action}}","bizStep":"{{bizStep}}","parentID":"{{parent}}","childEPCs":[{{Ids(children)}}]{{Where(place)}}""" + "}";
        var humidity = $$""","sensorElementList":[{"sensorMetadata":{"time":"{{At(40)}}","deviceID":"{{EpcisDocumentReader.DevicePrefix}}{{logger.Address}}"},"sensorReport":[{"type":"RelativeHumidity","value":78.5,"uom":"A93","exception":"ALARM_CONDITION"}]}]""";

        var rice = Document(
            $$"""{"type":"ObjectEvent","eventTime":"{{At(0)}}","eventTimeZoneOffset":"+08:00","action":"ADD","bizStep":"commissioning","disposition":"active","epcList":[],"quantityList":[{{Kilos(Paddy, 2000)}}]{{Where(0)}}}""",
            $$"""{"type":"TransformationEvent","eventTime":"{{At(6)}}","eventTimeZoneOffset":"+08:00","bizStep":"creating_class_instance","inputQuantityList":[{{Kilos(Paddy, 2000)}}],"outputQuantityList":[{{Kilos(Milled, 1400)}}]{{Where(1)}}}""",
            $$"""{"type":"TransformationEvent","eventTime":"{{At(20)}}","eventTimeZoneOffset":"+08:00","bizStep":"commissioning","inputQuantityList":[{{Kilos(Milled, 20)}}],"outputEPCList":[{{Ids(Bags)}}]{{Where(2)}}}""",
            Aggregate(21, "ADD", "packing", 2, Case, Bags),
            Aggregate(22, "ADD", "loading", 2, Pallet, [Case]),
            Observe(24, "OBSERVE", "shipping", "in_transit", 2, Pallet),
            Observe(40, "OBSERVE", "transporting", "in_transit", -1, Pallet, humidity));
        await client.CaptureEpcisAsync(rice, admins["ricecoop"].Key, chainId, ct).ConfigureAwait(false);
        var store = Document(
            Observe(70, "OBSERVE", "receiving", "in_progress", 3, Pallet),
            Aggregate(71, "DELETE", "unpacking", 3, Pallet, [Case]),
            Observe(80, "OBSERVE", "receiving", "sellable_accessible", 4, Case),
            Aggregate(81, "DELETE", "unpacking", 4, Case, Bags),
            Observe(100, "OBSERVE", "retail_selling", "retail_sold", 4, Bags[0]));
        await client.CaptureEpcisAsync(store, admins["freshmart"].Key, chainId, ct).ConfigureAwait(false);

        await client.CaptureEpcisAsync(Document(Observe(10, "ADD", "commissioning", "active", 5, Pack), Observe(30, "OBSERVE", "shipping", "in_transit", 5, Pack)),
            admins["medico"].Key, chainId, ct).ConfigureAwait(false);
        await client.CaptureEpcisAsync(Document(Observe(50, "OBSERVE", "receiving", "sellable_not_accessible", 6, Pack), Observe(110, "OBSERVE", "dispensing", "dispensed", 6, Pack)),
            admins["citycare"].Key, chainId, ct).ConfigureAwait(false);
        // The same pack at the counter again: the pharmacist's verify-and-decommission scan reports what it saw.
        var again = await client.CaptureEpcisAsync(Document(Observe(130, "OBSERVE", "dispensing", "dispensed", 6, Pack)), admins["citycare"].Key, chainId, ct, report: true)
            .ConfigureAwait(false);
        progress($"provenance: rice from a paddy lot milled, packed into 4 bags, a case and a pallet, shipped 1,700 km with a humidity alarm on the way and sold: " +
            $"/01/09506000134352/21/BAG-0001 (its journey, every receipt verified) and `thingledger epcis trace {Paddy} --forward`");
        progress($"provenance: a medicine pack dispensed, then scanned for dispensing again — {again.Suspect?.FirstOrDefault()?.Code ?? "reported"}; flagged at /epcis");
    }

    private static int Micro(decimal degrees) => (int)decimal.Round(degrees * 1_000_000m, MidpointRounding.AwayFromZero);

    private static byte[] Document(params string[] events) => Encoding.UTF8.GetBytes(
        """{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-01T00:00:00Z","epcisBody":{"eventList":[""" +
        string.Join(',', events) + "]}}");
}
