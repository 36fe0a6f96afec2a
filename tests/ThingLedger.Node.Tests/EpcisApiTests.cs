using ThingLedger.Client;
using ThingLedger.Execution.Modules.Epcis;

namespace ThingLedger.Node.Tests;

/// <summary>The node checks GS1 identifiers for anyone: each form of a valid one, the code and reason of a malformed one.</summary>
public sealed class EpcisApiTests(TestNode node) : IClassFixture<TestNode>
{
    [Fact]
    public async Task An_identifier_is_answered_in_each_form_and_a_malformed_one_with_its_code()
    {
        using var client = node.Client();
        var item = await client.GetGs1IdAsync("(01)80614141123458(21)A/1", prefixLength: 7, resolver: "https://id.example.com");
        Assert.Equal(("sgtin", "https://id.example.com/01/80614141123458/21/A%2F1", "urn:epc:id:sgtin:0614141.812345.A%2F1"), (item.Kind, item.DigitalLink, item.EpcUrn));
        var dock = await client.GetGs1IdAsync("urn:epc:id:sgln:0614141.12345.400");
        Assert.Equal(("https://id.gs1.org/414/0614141123452/254/400", "400"), (dock.DigitalLink, dock.Qualifier));
        Assert.Null((await client.GetGs1IdAsync("https://id.example.com/00/106141412345678908")).EpcUrn);

        var bad = await Assert.ThrowsAsync<ThingLedgerException>(() => client.GetGs1IdAsync("https://id.example.com/01/09506000134353/21/X"));
        Assert.Equal((EpcisErrors.CheckDigit, 400), (bad.Code, bad.Status));
        Assert.Contains("its digits give 2", bad.Message, StringComparison.Ordinal);
        var prefix = await Assert.ThrowsAsync<ThingLedgerException>(() => client.GetGs1IdAsync("(00)106141412345678908", prefixLength: 4));
        Assert.Equal(EpcisErrors.PrefixLength, prefix.Code);
        var none = await Assert.ThrowsAsync<ThingLedgerException>(() => client.GetGs1IdAsync(" "));
        Assert.Equal("BAD_REQUEST", none.Code);
    }
}
