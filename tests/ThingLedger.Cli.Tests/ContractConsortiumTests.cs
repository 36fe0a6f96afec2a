using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Contracts;

namespace ThingLedger.Cli.Tests;

/// <summary>Contracts on the real etcd network of three organisations (quorum 2): the lifecycle across peers, and identical execution everywhere.</summary>
[Collection("consortium")]
public sealed class ContractConsortiumTests(ConsortiumFixture fixture)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_deploy_takes_effect_at_the_quorum_and_every_peer_executes_calls_to_the_same_roots_and_gas()
    {
        await fixture.UpAsync();
        var peers = fixture.Network.Manifest.Peers;
        using var a = fixture.Peer(0);
        using var b = fixture.Peer(1);
        using var c = fixture.Peer(2);
        ThingLedgerClient[] clients = [a, b, c];
        var chainId = fixture.Genesis.ChainId;
        var adminA = await Account.OpenAsync(a, fixture.Network.AdminKey(peers[0]), chainId);
        var adminB = await Account.OpenAsync(b, fixture.Network.AdminKey(peers[1]), chainId);
        var name = "token-" + Convert.ToHexStringLower(Hash.Sha256(Guid.NewGuid().ToByteArray()).ToArray().AsSpan(0, 4));
        var manifest = ContractManifest.Load(Path.Combine(Repository.Root(), "contracts", "examples", "token")) with { Name = name };

        // a proposes through its own peer: one approval of the two needed, so nothing is deployed anywhere.
        var propose = adminA.Sign(Operations.DeployContract(manifest.Proposal(["1000"])));
        Assert.Equal(TxState.Committed, (await a.SubmitAsync(propose, wait: true, timeoutMs: 30_000)).Status);
        await WaitAsync(clients, async client => await client.GetContractProposalAsync(propose.Id.ToString()) is not null);
        Assert.All(await Task.WhenAll(clients.Select(cl => cl.GetContractAsync(name))), Assert.Null);

        // b approves through its peer: the quorum, so the contract exists on every peer, its init run as b's admin.
        Assert.Equal(TxState.Committed, (await b.SubmitAsync(adminB.Sign(Operations.ApproveContractProposal(propose.Id)), wait: true, timeoutMs: 30_000)).Status);
        await WaitAsync(clients, async client => await client.GetContractAsync(name) is not null);
        var version = (await c.GetContractVersionsAsync(name)).Single();
        Assert.Equal(new[] { peers[0].Org, peers[1].Org }.Order(StringComparer.Ordinal).ToArray(), version.Approvals.Order(StringComparer.Ordinal).ToArray());

        // Calls sent to different peers, one of them reverting; each receipt is the same on every peer.
        // A peer admits a signer's next nonce against the state it has applied, so before the same
        // signer moves to another peer, that peer must have applied the signer's previous tx.
        var friends = Enumerable.Range(0, 3).Select(_ => KeyPair.Generate()).ToArray();
        var calls = new List<Hash>();
        for (var i = 0; i < friends.Length; i++)
        {
            if (calls.Count > 0)
            {
                var previous = calls[^1];
                await WaitAsync([clients[i]], async client => await client.GetTxAsync(previous) is { Receipt: not null });
            }
            var args = ContractAbi.Encode([ContractType.Address, ContractType.U64], [friends[i].Address.ToString(), $"{10 * (i + 1)}"]);
            var tx = adminB.Sign(Operations.CallContract(name, "transfer", args));
            calls.Add(tx.Id);
            Assert.Equal(TxState.Committed, (await clients[i].SubmitAsync(tx, wait: true, timeoutMs: 30_000)).Status);
        }
        var tooMuch = adminB.Sign(Operations.CallContract(name, "transfer", ContractAbi.Encode([ContractType.Address, ContractType.U64], [friends[0].Address.ToString(), "5000"])));
        calls.Add(tooMuch.Id);
        Assert.Equal(TxState.Failed, (await c.SubmitAsync(tooMuch, wait: true, timeoutMs: 30_000)).Status);

        var height = await fixture.MaxHeightAsync([0, 1, 2]);
        await fixture.WaitFinalAsync([0, 1, 2], height);
        await fixture.AssertSameChainAsync([0, 1, 2], height);
        foreach (var id in calls)
        {
            var receipts = await Task.WhenAll(clients.Select(async cl => (await cl.GetTxAsync(id))!.Receipt!));
            Assert.All(receipts, r => Assert.Equal((receipts[0].Status, receipts[0].Code, receipts[0].GasUsed), (r.Status, r.Code, r.GasUsed)));
            Assert.All(receipts, r => Assert.Equal(
                receipts[0].Events.Select(e => $"{e.Module}/{e.Name}:{string.Join(",", e.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))}"),
                r.Events.Select(e => $"{e.Module}/{e.Name}:{string.Join(",", e.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))}")));
        }
        Assert.Equal(ContractsErrors.Reverted, (await a.GetTxAsync(tooMuch.Id))!.Receipt!.Code);
        foreach (var client in clients)
        {
            var balance = await client.QueryContractAsync(name, new ContractQueryRequest("balance_of", [friends[2].Address.ToString()]));
            Assert.Equal("30", balance.Results["balance"]);
        }
    }

    private static async Task WaitAsync(ThingLedgerClient[] clients, Func<ThingLedgerClient, Task<bool>> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var client in clients)
        {
            while (!await condition(client))
            {
                Assert.True(clock.Elapsed < Limit, "the peers did not agree in time");
                await Task.Delay(100);
            }
        }
    }
}
