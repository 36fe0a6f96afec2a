using System.Text;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Verification;

namespace ThingLedger.Core.Tests.Codec;

public sealed class StrictJsonTests
{
    private static JsonProblem? Check(string json) => StrictJson.Check(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"a\":1,\"b\":{\"a\":2},\"c\":[{\"a\":1},{\"a\":2}]}")]
    [InlineData("{\"tx\":\"00\",\"txs\":null}")]
    public void Documents_without_repeated_names_pass(string json) => Assert.Null(Check(json));

    [Theory]
    [InlineData("{\"tx\":\"A\",\"tx\":\"B\"}", "$.tx")]
    [InlineData("{\"TX\":\"A\",\"tx\":\"B\"}", "$.tx")]
    [InlineData("{\"tx\":\"A\",\"t\\u0078\":\"B\"}", "$.tx")]
    [InlineData("{\"readings\":[{},{\"values\":{\"speed\":1,\"Speed\":2}}]}", "$.readings[1].values.Speed")]
    [InlineData("{\"readings\":[{\"seq\":1,\"seq\":2}]}", "$.readings[0].seq")]
    public void A_repeated_or_case_variant_name_is_refused_with_where(string json, string path)
    {
        var problem = Check(json);
        Assert.NotNull(problem);
        Assert.Equal(ErrorCodes.JsonDuplicateKey, problem.Code);
        Assert.Equal(path, problem.Path);
    }

    [Fact]
    public void Many_members_are_checked_by_set_as_well()
    {
        var members = string.Join(',', Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i}"));
        Assert.Null(Check("{" + members + "}"));
        Assert.Equal(ErrorCodes.JsonDuplicateKey, Check("{" + members + ",\"K39\":0}")!.Code);
    }

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1 /* c */}")]
    [InlineData("{\"a\":")]
    [InlineData("{\"a\":1}{")]
    public void Malformed_JSON_is_refused(string json) => Assert.Equal(ErrorCodes.BadRequest, Check(json)!.Code);

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        var deep = new string('[', StrictJson.MaxDepth + 1) + new string(']', StrictJson.MaxDepth + 1);
        Assert.NotNull(Check(deep));
    }

    [Fact]
    public void Genesis_with_two_chain_ids_is_refused()
    {
        using var key = Core.Crypto.KeyPair.Generate();
        var json = new Genesis("dup-chain", 1, [new GenesisOrg("acme", "Acme", [key.PublicKey])], [new GenesisValidator("acme", key.PublicKey)], 1).ToJson();
        var twice = json.Replace("\"chainId\": \"dup-chain\"", "\"chainId\": \"dup-chain\", \"chainId\": \"other-chain\"", StringComparison.Ordinal);
        Assert.NotEqual(json, twice);
        var error = Assert.Throws<StrictJsonException>(() => Genesis.Parse(twice));
        Assert.Equal(ErrorCodes.JsonDuplicateKey, error.Problem.Code);
    }

    [Fact]
    public void A_proof_document_with_a_repeated_member_or_an_unknown_one_is_refused()
    {
        Assert.Equal(ErrorCodes.JsonDuplicateKey,
            Assert.Throws<StrictJsonException>(() => ProofDocument.Parse("{\"kind\":\"tx\",\"header\":\"01\",\"Header\":\"02\"}")).Problem.Code);
        Assert.Throws<FormatException>(() => ProofDocument.Parse("{\"kind\":\"tx\",\"comment\":\"trust me\"}"));
    }
}
