using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Verification;

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

    [Fact]
    public void A_new_genesis_is_version_2_and_a_file_without_a_version_stays_version_1_byte_for_byte()
    {
        using var admin = KeyPair.Generate();
        using var validator = KeyPair.Generate();
        var current = Sample(admin, validator);
        Assert.Equal(2, current.Version);
        Assert.Contains("\"version\": 2", current.ToJson(), StringComparison.Ordinal);

        var json = System.Text.Json.Nodes.JsonNode.Parse(current.ToJson())!.AsObject();
        json.Remove("version");
        var old = Genesis.Parse(json.ToJsonString());
        Assert.Equal(1, old.Version);
        Assert.NotEqual(current.Hash, old.Hash);
        Assert.DoesNotContain("version", old.ToJson(), StringComparison.Ordinal);
        Assert.Equal(old.Hash, Genesis.Parse(old.ToJson()).Hash);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_version_other_than_absent_or_2_is_refused(int version)
    {
        using var admin = KeyPair.Generate();
        using var validator = KeyPair.Generate();
        var json = System.Text.Json.Nodes.JsonNode.Parse(Sample(admin, validator).ToJson())!.AsObject();
        json["version"] = version;
        var error = Assert.Throws<FormatException>(() => Genesis.Parse(json.ToJsonString()));
        Assert.Contains($"version {version}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"1700000000000\"")]
    [InlineData("1.7e12")]
    [InlineData("1700000000000.0")]
    [InlineData("-1")]
    [InlineData("18446744073709551616")]
    public void The_timestamp_is_a_plain_json_integer_of_64_unsigned_bits(string timestamp)
    {
        using var admin = KeyPair.Generate();
        using var validator = KeyPair.Generate();
        var json = Sample(admin, validator).ToJson().Replace("1700000000000", timestamp, StringComparison.Ordinal);
        Assert.ThrowsAny<FormatException>(() => Genesis.Parse(json));
    }

    [Fact]
    public void Attestations_of_a_version_2_chain_bind_its_genesis_and_those_of_a_version_1_chain_do_not()
    {
        using var admin = KeyPair.Generate();
        using var validator = KeyPair.Generate();
        var header = new BlockHeader("test-chain", 3, Hash.Zero, 1, 0, Hash.Zero, Hash.Zero, Hash.Sha256([3]));
        var chain = Sample(admin, validator);
        var twin = new Genesis(chain.ChainId, chain.Timestamp + 1, chain.Orgs, chain.Validators, chain.Quorum);
        var certificate = FinalityCertificate.Of(Attestation.Sign(validator, header, AttestationScope.Of(chain)));
        Assert.True(ProofVerifier.VerifyCertificate(ValidatorHistory.FromGenesis(chain), header, certificate).Ok);
        Assert.Equal("certificate", ProofVerifier.VerifyCertificate(ValidatorHistory.FromGenesis(twin), header, certificate).Link);

        var oldChain = new Genesis(chain.ChainId, chain.Timestamp, chain.Orgs, chain.Validators, chain.Quorum, Genesis.UnboundVersion);
        var oldTwin = new Genesis(chain.ChainId, chain.Timestamp + 1, chain.Orgs, chain.Validators, chain.Quorum, Genesis.UnboundVersion);
        var oldCertificate = FinalityCertificate.Of(Attestation.Sign(validator, header, AttestationScope.Of(oldChain)));
        Assert.True(ProofVerifier.VerifyCertificate(ValidatorHistory.FromGenesis(oldTwin), header, oldCertificate).Ok);
        Assert.Equal("certificate", ProofVerifier.VerifyCertificate(ValidatorHistory.FromGenesis(chain), header, oldCertificate).Link);
    }
}
