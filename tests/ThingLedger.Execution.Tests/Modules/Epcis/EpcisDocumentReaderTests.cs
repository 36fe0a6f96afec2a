using System.Text;
using ThingLedger.Execution.Modules.Epcis;
using static ThingLedger.Execution.Tests.Modules.Epcis.EpcisTestChain;

namespace ThingLedger.Execution.Tests.Modules.Epcis;

/// <summary>A captured document is checked event by event, each refusal with its code; a document with one bad event is refused whole.</summary>
public sealed class EpcisDocumentReaderTests
{
    private readonly EpcisTestChain _e = new();

    private EpcisEventError Refused(string document)
    {
        var read = _e.Read(document);
        Assert.False(read.Ok);
        Assert.Empty(read.Events);
        return Assert.Single(read.Errors);
    }

    [Fact]
    public void A_good_document_gives_each_event_its_hash_and_record()
    {
        var events = _e.Events(Document(_e.Commission(Item1, Item2), _e.Aggregate("ADD", Pallet1, Item1, Item2)));
        Assert.Equal(2, events.Count);
        Assert.Equal(EpcisEventType.Object, events[0].Record.Type);
        Assert.Equal("commissioning", events[0].Record.BizStep);
        Assert.Equal(["/01/10614141073464/21/1001", "/01/10614141073464/21/1002"], events[0].Record.Epcs);
        Assert.Equal("/414/0614141000012", events[0].Record.Location);
        Assert.Equal(Gs1Id.ParseEpcUrn(Pallet1, out _)!.ToDigitalLink(Gs1Canonical.Root)[Gs1Canonical.Root.Length..], events[1].Record.Parent);
        Assert.StartsWith("ni:///sha-256;", events[1].Hash, StringComparison.Ordinal);
        Assert.Equal(events[1].Hash, events[1].Record.HashText);
    }

    [Fact]
    public void A_wrong_gs1_check_digit_is_refused_with_the_digit_it_should_be()
    {
        var error = Refused(Document(_e.Commission("https://id.example.com/01/09506000134353/21/ABC123")));
        Assert.Equal(EpcisErrors.CheckDigit, error.Code);
        Assert.Contains("give 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, error.Index);
    }

    [Theory]
    [InlineData("{not json", EpcisErrors.JsonInvalid)]
    [InlineData("[]", EpcisErrors.DocumentInvalid)]
    [InlineData("""{"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[]}}""", EpcisErrors.DocumentInvalid)]
    [InlineData("""{"@context":"https://ref.gs1.org/standards/epcis/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"1.2","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[{}]}}""", EpcisErrors.DocumentInvalid)]
    [InlineData("""{"@context":"https://ref.gs1.org/standards/epcis/epcis-context.jsonld","type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[]}}""", EpcisErrors.DocumentInvalid)]
    public void Malformed_json_ld_is_refused(string document, string code) => Assert.Equal(code, Refused(document).Code);

    [Fact]
    public void A_document_over_the_size_limit_is_refused_before_it_is_parsed()
    {
        var read = EpcisDocumentReader.Read(new byte[EpcisDocumentReader.MaxDocumentBytes + 1], _e.Chain.Clock, 0);
        Assert.Equal(EpcisErrors.DocumentTooLarge, Assert.Single(read.Errors).Code);
    }

    [Fact]
    public void An_event_time_far_in_the_future_is_refused()
    {
        var later = DateTimeOffset.FromUnixTimeMilliseconds((long)_e.Chain.Clock).AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var error = Refused(Document(_e.Commission(Item1).Replace(_e.NextTime()[..4], "2099", StringComparison.Ordinal)));
        Assert.Equal(EpcisErrors.EventInFuture, error.Code);
        Assert.Equal(EpcisErrors.EventInFuture, Refused(Document($$"""{"type":"ObjectEvent","eventTime":"{{later}}","eventTimeZoneOffset":"+00:00","action":"ADD","epcList":["{{Item1}}"]}""")).Code);
    }

    [Fact]
    public void A_transformation_whose_output_reuses_an_input_is_refused()
    {
        const string transformation = """
            {"type":"TransformationEvent","eventTime":"2023-11-14T10:00:00Z","eventTimeZoneOffset":"+00:00","bizStep":"commissioning",
             "inputEPCList":["urn:epc:id:sgtin:0614141.107346.1001"],"outputEPCList":["urn:epc:id:sgtin:0614141.107346.2001","https://id.gs1.org/01/10614141073464/21/1001"]}
            """;
        Assert.Equal(EpcisErrors.OutputIsInput, Refused(Document(transformation)).Code);
    }

    [Theory]
    [InlineData("\"type\":\"ObjectEvent\"", "\"type\":\"Thing\"", EpcisErrors.EventType)]
    [InlineData("\"bizStep\":\"commissioning\"", "\"bizStep\":\"teleporting\"", EpcisErrors.Vocabulary)]
    [InlineData("\"action\":\"ADD\"", "\"action\":\"MAYBE\"", EpcisErrors.EventInvalid)]
    [InlineData("\"eventTimeZoneOffset\":\"+00:00\"", "\"eventTimeZoneOffset\":\"UTC\"", EpcisErrors.EventInvalid)]
    [InlineData("\"action\":\"ADD\"", "\"action\":\"ADD\",\"colour\":\"red\"", EpcisErrors.EventInvalid)]
    [InlineData("\"action\":\"ADD\"", "\"action\":\"ADD\",\"zz:colour\":\"red\"", EpcisErrors.EventInvalid)]
    [InlineData("urn:epc:id:sgtin:0614141.107346.1001", "urn:epc:id:sgtin:0614141.10734.1001", EpcisErrors.IdInvalid)]
    [InlineData("urn:epc:id:sgtin:0614141.107346.1001", "not a uri", EpcisErrors.IdInvalid)]
    public void Each_bad_field_has_its_code(string field, string replacement, string code)
    {
        var good = _e.Commission(Item1);
        Assert.Contains(field, good, StringComparison.Ordinal);
        var error = Refused(Document(_e.Commission(Item2), good.Replace(field, replacement, StringComparison.Ordinal)));
        Assert.Equal(code, error.Code);
        Assert.Equal(1, error.Index);
    }

    [Fact]
    public void The_same_event_twice_in_a_document_is_refused()
    {
        var once = _e.Commission(Item1);
        Assert.Equal(EpcisErrors.DuplicateEvent, Refused(Document(once, once)).Code);
    }

    [Fact]
    public void An_extension_with_its_prefix_in_the_context_is_hashed_with_its_namespace()
    {
        var events = _e.Events(Document(_e.Commission(Item1).Replace("\"action\"", "\"ex:batchNote\":\"first run\",\"action\"", StringComparison.Ordinal)));
        using var doc = System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetBytes(Document(events[0].Json)));
        var pre = EpcisEventHash.PreHash(EpcisEventHash.EventsOf(doc.RootElement).Single(), EpcisContext.Of(doc.RootElement));
        Assert.EndsWith("{https://ns.example.com/epcis/}batchNote=first run", pre, StringComparison.Ordinal);
    }
}
