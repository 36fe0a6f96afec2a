using ThingLedger.Core.Crypto;
using ThingLedger.Core.Merkle;
using ThingLedger.Core.Verification;

namespace ThingLedger.Core.Ledger;

/// <summary>Computes a block's roots and header from its ordered txs, receipts and resulting state root.</summary>
public static class BlockBuilder
{
    public static Hash TxRoot(IReadOnlyList<Transaction> txs) => MerkleTree.Root(TxLeaves(txs));

    public static Hash ReceiptsRoot(IReadOnlyList<Receipt> receipts) => MerkleTree.Root(ReceiptLeaves(receipts));

    public static Hash[] TxLeaves(IReadOnlyList<Transaction> txs)
    {
        var leaves = new Hash[txs.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = ProofVerifier.TxLeaf(txs[i].Id);
        }
        return leaves;
    }

    public static Hash[] ReceiptLeaves(IReadOnlyList<Receipt> receipts)
    {
        var leaves = new Hash[receipts.Count];
        for (var i = 0; i < leaves.Length; i++)
        {
            leaves[i] = ProofVerifier.ReceiptLeaf(receipts[i]);
        }
        return leaves;
    }

    public static BlockHeader Header(string chainId, ulong height, in Hash previousHash, ulong timestamp,
        IReadOnlyList<Transaction> txs, IReadOnlyList<Receipt> receipts, in Hash stateRoot) =>
        new(chainId, height, previousHash, timestamp, (uint)txs.Count, TxRoot(txs), ReceiptsRoot(receipts), stateRoot);
}
