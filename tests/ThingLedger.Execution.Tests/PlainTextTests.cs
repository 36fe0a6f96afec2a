using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests;

public class PlainTextTests
{
    public static TheoryData<string> Deceptive() =>
    [
        "Points\u202eSTP",       // right-to-left override: shows "PointsPTS"
        "Points\u200b",          // zero-width space
        "\ufeffPoints",          // byte-order mark
        "Po\u2066ints\u2069",    // isolates
        "Poi\u00adnts",          // soft hyphen
        "Points\U000E0041",      // a tag character, outside the basic plane
    ];

    [Theory]
    [MemberData(nameof(Deceptive))]
    public void Text_with_format_characters_is_refused_in_every_payload_of_a_version_2_tx(string name)
    {
        var chain = new TestChain();
        var payload = new CreateTokenPayload("PTS", name, 0, Roles.Admin, 0);
        var tx = chain.Tx(chain.AcmeAdmin, "tokens", "create", payload);
        Assert.Equal(ErrorCodes.PayloadMalformed, chain.Machine.Admit(tx, chain, chain.Height + 1));
        chain.AssertRefused(ErrorCodes.PayloadMalformed, () => chain.Run(tx));
        Assert.Null(TokensModule.ReadToken(chain, "PTS"));
    }

    [Fact]
    public void A_version_1_tx_with_such_text_executes_as_it_did_so_old_blocks_replay()
    {
        var chain = new TestChain();
        var payload = Canonical.Encode(new CreateTokenPayload("PTS", "Points\u202eSTP", 0, Roles.Admin, 0));
        var v1 = Transaction.CreateUnmetered(TestChain.ChainId, "tokens", "create", payload, chain.AcmeAdmin, 1, ulong.MaxValue);
        Assert.True(chain.Run(v1).Succeeded);
        Assert.Equal("Points\u202eSTP", TokensModule.ReadToken(chain, "PTS")!.Name);
    }

    [Fact]
    public void Plain_text_beyond_ascii_is_taken()
    {
        var chain = new TestChain();
        var name = "Énergie ⚡ 電力 Ω";
        Assert.True(chain.Run(chain.Tx(chain.AcmeAdmin, "tokens", "create", new CreateTokenPayload("PTS", name, 0, Roles.Admin, 0))).Succeeded);
        Assert.Equal(name, TokensModule.ReadToken(chain, "PTS")!.Name);
    }
}
