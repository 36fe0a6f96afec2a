using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Node.Tests;

/// <summary>
/// What a key that belongs to nobody can make the ledger store: payloads that do not decode
/// for their operation are refused before ordering (they once committed as failed txs, 32 KiB
/// each), and one signer cannot fill the mempool.
/// </summary>
public sealed class AdmissionBoundsTests : IDisposable
{
    private readonly TestNode _node = new()
    {
        MaxRequestBytes = 32 * 1024 * 1024,
        Configure = b => b.UseSetting("Node:MaxPendingPerSigner", "3"),
    };

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task Random_payloads_from_fresh_keys_are_refused_at_admission_and_the_ledger_does_not_grow()
    {
        using var client = _node.Client();
        var before = await client.GetHeadAsync();
        var random = new Random(20);
        var txs = Enumerable.Range(0, 300).Select(_ =>
        {
            using var key = KeyPair.Generate();
            var payload = new byte[32 * 1024];
            random.NextBytes(payload);
            return Transaction.Create(_node.Genesis.ChainId, TokensModule.ModuleName, TokensModule.TransferOp, payload, key, 1, ulong.MaxValue);
        }).ToList();
        var response = await client.SubmitAsync(txs);
        Assert.All(response.Results, r => Assert.Equal(ErrorCodes.PayloadMalformed, r.Code));
        Assert.Contains("does not decode as tokens/transfer", response.Results[0].Message);

        // A well-formed tx still commits, and it is the only thing the next block holds.
        using var holder = KeyPair.Generate();
        var ok = await client.SubmitAsync(Operations.Transfer("NONE", holder.Address, 1).Sign(_node.Genesis.ChainId, holder, 1), wait: true);
        var block = await client.GetBlockAsync(ok.Height!.Value);
        Assert.Equal(1u, block!.TxCount);
        Assert.Equal(before.Height + 1, ok.Height);
    }

    [Fact]
    public async Task One_signer_gets_SIGNER_PENDING_LIMIT_beyond_its_share_of_waiting_txs()
    {
        using var client = _node.Client();
        using var key = KeyPair.Generate();
        var txs = Enumerable.Range(1, 5).Select(n => Operations.Transfer("NONE", key.Address, 1).Sign(_node.Genesis.ChainId, key, (ulong)n)).ToList();
        var response = await client.SubmitAsync(txs);
        Assert.Equal([TxState.Accepted, TxState.Accepted, TxState.Accepted, TxState.Rejected, TxState.Rejected], response.Results.Select(r => r.Status));
        Assert.Equal(ErrorCodes.SignerPendingLimit, response.Results[3].Code);

        // Once the three commit, the signer may send the next.
        foreach (var id in response.Results.Take(3).Select(r => Hash.Parse(r.Id!)))
        {
            while ((await client.GetTxAsync(id))?.Height is null)
            {
                await Task.Delay(20);
            }
        }
        var next = await client.SubmitAsync(Operations.Transfer("NONE", key.Address, 1).Sign(_node.Genesis.ChainId, key, 4), wait: true);
        Assert.Equal(TxState.Failed, next.Status);
        Assert.Equal(TokensErrors.TokenNotFound, next.Code);
    }
}
