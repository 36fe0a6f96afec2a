using System.Text.Json;

namespace ThingLedger.Cli.Tests;

/// <summary>GS1 identifiers from the command line: checked and written in each form, malformed ones refused with their code.</summary>
public sealed class EpcisCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_item_is_written_as_element_string_digital_link_and_epc_urn_and_a_bad_check_digit_is_refused()
    {
        var item = JsonDocument.Parse(await CliProcess.SucceedsAsync(Limit, "epcis", "item", "https://id.example.com/01/80614141123458/21/12345", "--prefix-length", "7",
            "--resolver", "https://id.example.com", "--json")).RootElement;
        Assert.Equal(("sgtin", "(01)80614141123458(21)12345", "urn:epc:id:sgtin:0614141.812345.12345", "https://id.example.com/01/80614141123458/21/12345"),
            (item.GetProperty("kind").GetString(), item.GetProperty("elementString").GetString(), item.GetProperty("epcUrn").GetString(), item.GetProperty("digitalLink").GetString()));

        // A URN names its company prefix, so its URN needs no --prefix-length.
        var pallet = JsonDocument.Parse(await CliProcess.SucceedsAsync(Limit, "epcis", "item", "urn:epc:id:sscc:0614141.1234567890", "--json")).RootElement;
        Assert.Equal(("106141412345678908", "https://id.gs1.org/00/106141412345678908", "urn:epc:id:sscc:0614141.1234567890"),
            (pallet.GetProperty("key").GetString(), pallet.GetProperty("digitalLink").GetString(), pallet.GetProperty("epcUrn").GetString()));
        Assert.Contains("(414)0614141123452(254)400", await CliProcess.SucceedsAsync(Limit, "epcis", "item", "(414)0614141123452(254)400"), StringComparison.Ordinal);

        foreach (var (id, code) in new[]
        {
            ("(01)09506000134353(21)A", "EPCIS_CHECK_DIGIT"),
            ("https://id.example.com/01/09506000134352", "EPCIS_DIGITAL_LINK_INVALID"),
            ("urn:epc:id:sgtin:0614141.81234.1", "EPCIS_URN_INVALID"),
            ("(01)09506000134352(21)A B", "EPCIS_KEY_CHARACTER"),
        })
        {
            var bad = await CliProcess.RunAsync(Limit, "epcis", "item", id);
            Assert.True(bad.Code == CliRunner.BadInput && bad.Err.Contains(code, StringComparison.Ordinal), $"{id}: expected {code}\n{bad.Err}");
        }
        var prefix = await CliProcess.RunAsync(Limit, "epcis", "item", "(00)106141412345678908", "--prefix-length", "17");
        Assert.True(prefix.Code == CliRunner.BadInput && prefix.Err.Contains("EPCIS_PREFIX_LENGTH", StringComparison.Ordinal), prefix.Err);
    }
}
