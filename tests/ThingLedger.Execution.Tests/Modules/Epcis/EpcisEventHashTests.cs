using System.Text.Json;
using ThingLedger.Execution.Modules.Epcis;

namespace ThingLedger.Execution.Tests.Modules.Epcis;

/// <summary>The CBV 2.0 event hash against the reference implementation's published vectors (HashVectors/README.md).</summary>
public sealed class EpcisEventHashTests
{
    private static readonly string Vectors = Path.Combine(AppContext.BaseDirectory, "Modules", "Epcis", "HashVectors");

    public static TheoryData<string> Documents() => [.. Directory.GetFiles(Vectors, "*.jsonld").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_event_hashes_as_the_reference_implementation_hashes_it(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vectors, name + ".jsonld")));
        var context = EpcisContext.Of(document.RootElement);
        var events = EpcisEventHash.EventsOf(document.RootElement).ToList();
        var preHashes = events.Select(e => EpcisEventHash.PreHash(e, context)).ToList();
        var expected = File.ReadAllLines(Path.Combine(Vectors, name + ".hashes")).Where(l => l.Length > 0).ToList();
        var expectedPreHashes = Path.Combine(Vectors, name + ".prehashes");
        if (File.Exists(expectedPreHashes))
        {
            Assert.Equal(File.ReadAllLines(expectedPreHashes).Where(l => l.Length > 0), preHashes);
        }
        Assert.Equal(expected, preHashes.Select(EpcisEventHash.Hash));
        Assert.Equal(expected, EpcisEventHash.HashDocument(document.RootElement));
    }

    [Fact]
    public void The_same_event_written_differently_has_the_same_hash()
    {
        const string a = """
            {"type":"ObjectEvent","eventTime":"2024-05-01T10:00:00.5+02:00","eventTimeZoneOffset":"+02:00","action":"OBSERVE",
             "epcList":["urn:epc:id:sgtin:0614141.107346.2018","https://example.com/shop/01/10614141073464/21/2019?17=261231"],
             "bizStep":"urn:epcglobal:cbv:bizstep:shipping","readPoint":{"id":"urn:epc:id:sgln:0614141.00777.0"}}
            """;
        const string b = """
            {"readPoint":{"id":"https://id.gs1.org/414/0614141007776"},"bizStep":"shipping","action":"OBSERVE",
             "epcList":["https://id.gs1.org/01/10614141073464/21/2019","https://id.gs1.org/01/10614141073464/21/2018"],
             "eventTimeZoneOffset":"+02:00","eventTime":"2024-05-01T08:00:00.500Z","type":"ObjectEvent","recordTime":"2024-05-01T08:00:01Z"}
            """;
        Assert.Equal(HashOf(a), HashOf(b));
    }

    [Fact]
    public void A_changed_field_changes_the_hash()
    {
        const string a = """{"type":"ObjectEvent","eventTime":"2024-05-01T08:00:00Z","eventTimeZoneOffset":"+00:00","action":"OBSERVE","epcList":["urn:epc:id:sgtin:0614141.107346.2018"]}""";
        Assert.NotEqual(HashOf(a), HashOf(a.Replace("2018", "2017", StringComparison.Ordinal)));
        Assert.NotEqual(HashOf(a), HashOf(a.Replace("OBSERVE", "ADD", StringComparison.Ordinal)));
        Assert.NotEqual(HashOf(a), HashOf(a.Replace("}", ""","bizStep":"shipping"}""", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("2023-01-18T11:04:03.1415Z", "2023-01-18T11:04:03.142Z")]
    [InlineData("2023-01-18T11:04:03.9996Z", "2023-01-18T11:04:04.000Z")]
    [InlineData("2023-01-18T11:04:03Z", "2023-01-18T11:04:03.000Z")]
    [InlineData("2023-01-18T00:30:00.25-01:00", "2023-01-18T01:30:00.250Z")]
    [InlineData("2023-01-18", null)]
    [InlineData("not a time at all, no", null)]
    public void Timestamps_are_utc_to_the_millisecond(string value, string? expected) => Assert.Equal(expected, EpcisEventHash.Timestamp(value));

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("0.3434000", "0.3434")]
    [InlineData("+12", "12")]
    [InlineData("1e3", "1000")]
    [InlineData("0.00001", "1e-05")]
    [InlineData("12a", null)]
    [InlineData("1.2.3", null)]
    [InlineData("-", null)]
    public void Numbers_lose_their_trailing_zeros(string value, string? expected) => Assert.Equal(expected, EpcisEventHash.Number(value));

    [Theory]
    [InlineData("urn:epc:id:sgtin:0614141.107346.2018", "https://id.gs1.org/01/10614141073464/21/2018")]
    [InlineData("urn:epc:id:sscc:0614141.1234567890", "https://id.gs1.org/00/106141412345678908")]
    [InlineData("urn:epc:id:sgln:0614141.00777.0", "https://id.gs1.org/414/0614141007776")]
    [InlineData("urn:epc:id:grai:4012345.55555.987", "https://id.gs1.org/8003/04012345555554987")]
    [InlineData("urn:epc:id:sgtin:0614141.107346.A(1)", "https://id.gs1.org/01/10614141073464/21/A%281%29")]
    [InlineData("https://brand.example/p/01/9506000134352/10/L1/21/S1?17=261231", "https://id.gs1.org/01/09506000134352/21/S1")]
    [InlineData("https://id.gs1.org/01/09506000134352/22/V2/10/L1", "https://id.gs1.org/01/09506000134352/10/L1")]
    [InlineData("urn:epc:id:sgtin:0614141.10734.2018", null)]
    [InlineData("https://www.ncbi.nlm.nih.gov/taxonomy/1126011", null)]
    [InlineData("geo:50.9,6.9", null)]
    public void Gs1_keys_take_their_canonical_digital_link(string value, string? expected) => Assert.Equal(expected, Gs1Canonical.DigitalLink(value));

    private static string HashOf(string eventJson)
    {
        using var document = JsonDocument.Parse(eventJson);
        return EpcisEventHash.Hash(EpcisEventHash.PreHash(document.RootElement, EpcisContext.Default));
    }
}
