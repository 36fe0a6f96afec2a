using ThingLedger.Execution.Modules.Epcis;

namespace ThingLedger.Execution.Tests.Modules.Epcis;

/// <summary>GS1 keys with their check digits, as Digital Link URIs and EPC URNs, both ways.</summary>
public sealed class Gs1IdTests
{
    private static Gs1Id Ok(Gs1Id? id, Gs1Error? error)
    {
        Assert.True(id is not null, error?.Message);
        return id!;
    }

    [Theory]
    [InlineData("0950600013435", 2)]
    [InlineData("8061414112345", 8)]
    [InlineData("400638133393", 1)]
    [InlineData("10614141234567890", 8)]
    [InlineData("061414112345", 2)]
    public void The_check_digit_weighs_digits_three_and_one_from_the_right(string digits, int check) =>
        Assert.Equal(check, Gs1Id.CheckDigit(digits));

    [Fact]
    public void An_item_is_named_by_its_digital_link_and_its_epc_urn_alike()
    {
        var item = Ok(Gs1Id.Sgtin("09506000134352", "ABC123", out var e), e);
        Assert.Equal("https://id.example.com/01/09506000134352/21/ABC123", item.ToDigitalLink("https://id.example.com/"));
        Assert.Equal("(01)09506000134352(21)ABC123", item.ElementString);
        Assert.Equal(item, Ok(Gs1Id.ParseDigitalLink("https://id.example.com/01/09506000134352/21/ABC123", out e), e));
        // Any resolver and path prefix; data attributes in the query are not part of the id.
        Assert.Equal(item, Ok(Gs1Id.ParseDigitalLink("http://brand.example/products/x/01/09506000134352/21/ABC123?17=261231", out e), e));

        var urn = Ok(Gs1Id.Sgtin("80614141123458", "12345", out e), e).ToEpcUrn(7, out e);
        Assert.Equal("urn:epc:id:sgtin:0614141.812345.12345", urn);
        Assert.Equal("80614141123458", Ok(Gs1Id.ParseEpcUrn(urn!, out e), e).Key);
        // A GTIN-13 is kept as a GTIN-14.
        Assert.Equal("04006381333931", Ok(Gs1Id.Sgtin("4006381333931", "1", out e), e).Key);
    }

    [Fact]
    public void Serials_with_reserved_characters_are_escaped_in_each_form_and_come_back_unchanged()
    {
        var item = Ok(Gs1Id.Sgtin("80614141123458", "A/B%C?", out var e), e);
        Assert.Equal("https://id.example.com/01/80614141123458/21/A%2FB%25C%3F", item.ToDigitalLink("https://id.example.com"));
        Assert.Equal("urn:epc:id:sgtin:0614141.812345.A%2FB%25C%3F", item.ToEpcUrn(7, out e));
        Assert.Equal(item, Ok(Gs1Id.ParseDigitalLink(item.ToDigitalLink("https://id.example.com"), out e), e));
        Assert.Equal(item, Ok(Gs1Id.ParseEpcUrn(item.ToEpcUrn(7, out _)!, out e), e));
    }

    [Fact]
    public void Lots_logistic_units_and_locations_round_trip()
    {
        var lot = Ok(Gs1Id.Lgtin("09506000134352", "PADDY-2026-11", out var e), e);
        Assert.Equal("https://r.example/01/09506000134352/10/PADDY-2026-11", lot.ToDigitalLink("https://r.example"));
        Assert.Equal("urn:epc:class:lgtin:9506000.013435.PADDY-2026-11", lot.ToEpcUrn(7, out e));
        Assert.Equal(lot, Ok(Gs1Id.ParseEpcUrn("urn:epc:class:lgtin:9506000.013435.PADDY-2026-11", out e), e));

        var pallet = Ok(Gs1Id.Sscc("106141412345678908", out e), e);
        Assert.Equal("urn:epc:id:sscc:0614141.1234567890", pallet.ToEpcUrn(7, out e));
        Assert.Equal(pallet, Ok(Gs1Id.ParseEpcUrn("urn:epc:id:sscc:0614141.1234567890", out e), e));
        Assert.Equal(pallet, Ok(Gs1Id.ParseDigitalLink("https://r.example/00/106141412345678908", out e), e));

        var dock = Ok(Gs1Id.Sgln("0614141123452", "400", out e), e);
        Assert.Equal("urn:epc:id:sgln:0614141.12345.400", dock.ToEpcUrn(7, out e));
        Assert.Equal("https://r.example/414/0614141123452/254/400", dock.ToDigitalLink("https://r.example"));
        Assert.Equal(dock, Ok(Gs1Id.ParseDigitalLink("https://r.example/414/0614141123452/254/400", out e), e));
        var site = Ok(Gs1Id.ParseEpcUrn("urn:epc:id:sgln:0614141.12345.0", out e), e);
        Assert.Equal(("0614141123452", ""), (site.Key, site.Qualifier));
        Assert.Equal("(414)0614141123452", site.ElementString);
    }

    [Theory]
    [InlineData("09506000134353", "ABC", EpcisErrors.CheckDigit)]
    [InlineData("0950600013435", "ABC", EpcisErrors.CheckDigit)] // 13 digits whose last is not their check digit
    [InlineData("950600013435", "ABC", EpcisErrors.CheckDigit)]
    [InlineData("095060001343522", "ABC", EpcisErrors.KeyLength)]
    [InlineData("0950600013435X", "ABC", EpcisErrors.KeyCharacter)]
    [InlineData("09506000134352", "", EpcisErrors.KeyLength)]
    [InlineData("09506000134352", "123456789012345678901", EpcisErrors.KeyLength)]
    [InlineData("09506000134352", "ABC 1", EpcisErrors.KeyCharacter)]
    [InlineData("09506000134352", "ÄBC", EpcisErrors.KeyCharacter)]
    public void Malformed_keys_are_refused_with_the_reason(string gtin, string serial, string code)
    {
        Assert.Null(Gs1Id.Sgtin(gtin, serial, out var error));
        Assert.Equal(code, error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("https://id.example.com/01/09506000134352", EpcisErrors.DigitalLinkInvalid)] // a product, not an item
    [InlineData("https://id.example.com/21/ABC123", EpcisErrors.DigitalLinkInvalid)]
    [InlineData("https://id.example.com/01/09506000134352/22/ABC", EpcisErrors.DigitalLinkInvalid)]
    [InlineData("https://id.example.com/00/106141412345678908/21/1", EpcisErrors.DigitalLinkInvalid)]
    [InlineData("ftp://id.example.com/01/09506000134352/21/ABC123", EpcisErrors.DigitalLinkInvalid)]
    [InlineData("not a uri", EpcisErrors.DigitalLinkInvalid)]
    [InlineData("https://id.example.com/01/09506000134359/21/ABC123", EpcisErrors.CheckDigit)]
    [InlineData("urn:epc:id:sgtin:0614141.81234.12345", EpcisErrors.UrnInvalid)] // 12 digits, not 13
    [InlineData("urn:epc:id:sgtin:0614141.812345", EpcisErrors.UrnInvalid)]
    [InlineData("urn:epc:id:sgtin:06141X1.812345.1", EpcisErrors.UrnInvalid)]
    [InlineData("urn:epc:id:lgtin:0614141.812345.L1", EpcisErrors.UrnInvalid)] // a lot is a class, not an id
    [InlineData("urn:epc:id:grai:0614141.12345.1", EpcisErrors.UrnInvalid)]
    [InlineData("urn:epc:id:sgtin:0614141.812345.A%2", EpcisErrors.UrnInvalid)]
    [InlineData("urn:epc:id:sgtin:0614141.812345.A B", EpcisErrors.KeyCharacter)]
    public void Malformed_names_are_refused_with_the_reason(string name, string code)
    {
        var id = name.StartsWith("urn:", StringComparison.Ordinal) ? Gs1Id.ParseEpcUrn(name, out var error) : Gs1Id.ParseDigitalLink(name, out error);
        Assert.Null(id);
        Assert.Equal(code, error!.Code);
    }

    [Fact]
    public void A_company_prefix_length_the_key_cannot_hold_is_refused()
    {
        var item = Ok(Gs1Id.Sgtin("80614141123458", "1", out var e), e);
        Assert.Null(item.ToEpcUrn(5, out e));
        Assert.Equal(EpcisErrors.PrefixLength, e!.Code);
        Assert.Null(item.ToEpcUrn(13, out e));
        Assert.Equal("urn:epc:id:sgtin:061414112345.8.1", item.ToEpcUrn(12, out _));
    }
}
