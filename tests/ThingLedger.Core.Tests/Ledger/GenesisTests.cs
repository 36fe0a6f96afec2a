using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Core.Tests.Ledger;

public class GenesisTests
{
    private static Genesis Sample(KeyPair admin, KeyPair validator, string chainId = "test-chain") =>
        new(chainId, 1700000000000, [new GenesisOrg("acme", "Acme Devices", [admin.PublicKey])], [new GenesisValidator("acme", validator.PublicKey)], 1);

    [Fact]
    public void Json_round_trip_keeps_the_hash()
    {
        using var admin = KeyPair.Generate();
        using var validator = KeyPair.Generate();
        var genesis = Sample(admin, validator);
        var again = Genesis.Parse(genesis.ToJson());
        Assert.Equal(genesis.Hash, again.Hash);
        Assert.NotEqual(genesis.Hash, Sample(admin, validator, "other-chain").Hash);
    }

    [Theory]
    [InlineData("""{"chainId":"c","orgs":[],"validators":[],"quorum":1}""", "at least one organisation")]
    [InlineData("""{"chainId":"c","orgs":[{"id":"Bad Id","name":"x","admins":[]}],"validators":[],"quorum":1}""", "organisation id")]
    [InlineData("""{"chainId":"c","orgs":[{"id":"a","name":"x","admins":["04zz"]}],"validators":[],"quorum":1}""", "130-hex-digit")]
    [InlineData("""{"chainId":"c","orgs":[],"validators":[],"quorum":1,"extra":1}""", "not valid JSON")]
    [InlineData("""{"orgs":[]}""", "required")]
    [InlineData("""not json""", "not valid JSON")]
    public void Invalid_documents_are_refused_with_a_precise_message(string json, string expected)
    {
        var error = Assert.ThrowsAny<FormatException>(() => Genesis.Parse(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quorum_must_fit_the_validator_count()
    {
        using var admin = KeyPair.Generate();
        var error = Assert.Throws<FormatException>(() =>
            new Genesis("c", 0, [new GenesisOrg("acme", "Acme", [admin.PublicKey])], [new GenesisValidator("acme", admin.PublicKey)], 2));
        Assert.Contains("quorum", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, Genesis.SupermajorityOf(3));
        Assert.Equal(3, Genesis.SupermajorityOf(4));
        Assert.Equal(5, Genesis.SupermajorityOf(7));
    }
}
