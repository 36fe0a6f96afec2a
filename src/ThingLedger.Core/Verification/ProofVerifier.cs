using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Merkle;
using ThingLedger.Core.State;

namespace ThingLedger.Core.Verification;

/// <summary>
/// Offline checks of what a node serves, trusting only the genesis document (and the membership changes it certifies): the finality
/// certificate, then each Merkle link from the header down to the value or transaction.
/// </summary>
public static class ProofVerifier
{
    /// <summary>
    /// A quorum of distinct validators of the set that certifies this header's height signed its
    /// (height, hash, state root). <paramref name="validators"/> starts from genesis and holds
    /// every membership change the verifier has checked (<see cref="ProofDocument"/> "membership").
    /// </summary>
    public static VerificationResult VerifyCertificate(ValidatorHistory validators, BlockHeader header, FinalityCertificate certificate, LinkTrace? trace = null)
    {
        if (header.ChainId != validators.ChainId)
        {
            return VerificationResult.Broken("header", $"header is for chain '{header.ChainId}', genesis is '{validators.ChainId}'");
        }
        var set = validators.At(header.Height);
        var counted = new HashSet<PublicKey>();
        foreach (var attestation in certificate.Attestations)
        {
            if (!set.Contains(attestation.Validator))
            {
                return VerificationResult.Broken("certificate", set.Epoch == 0
                    ? $"attestation by {attestation.Validator.ToHex()[..16]}…, which is not a genesis validator"
                    : $"attestation by {attestation.Validator.ToHex()[..16]}…, which is not a validator of epoch {set.Epoch} (from block {set.From})");
            }
            if (!attestation.Verify(header, validators.Scope))
            {
                return VerificationResult.Broken("certificate", $"attestation by {attestation.Validator.ToHex()[..16]}… does not match header {header.Height}");
            }
            counted.Add(attestation.Validator);
        }
        if (counted.Count < set.Quorum)
        {
            return VerificationResult.Broken("certificate", $"only {counted.Count} valid attestations, quorum is {set.Quorum}");
        }
        var final = $"block {header.Height} is final: {counted.Count} of {set.Validators.Count} validators (quorum {set.Quorum}{(set.Epoch == 0 ? string.Empty : $", epoch {set.Epoch}")})";
        trace?.Pass("certificate", final);
        return VerificationResult.Valid(final);
    }

    /// <summary>The key holds <paramref name="value"/> (or is absent when null) in the final state at this header.</summary>
    public static VerificationResult VerifyState(
        ValidatorHistory validators, BlockHeader header, FinalityCertificate certificate, string key, byte[]? value, StateProof proof, LinkTrace? trace = null)
    {
        var final = VerifyCertificate(validators, header, certificate, trace);
        if (!final.Ok)
        {
            return final;
        }
        if (!proof.Verify(header.StateRoot, key, value ?? [], value is not null))
        {
            return VerificationResult.Broken("state-proof", $"the proof does not connect '{key}' to the state root of block {header.Height}");
        }
        trace?.Pass("state-proof", $"the proof connects '{key}' to the state root of block {header.Height}");
        return VerificationResult.Valid(value is null
            ? $"'{key}' is absent at block {header.Height}; {final.Message}"
            : $"'{key}' holds the given value at block {header.Height}; {final.Message}");
    }

    /// <summary>The tx and its receipt are in this final block at the proofs' index.</summary>
    public static VerificationResult VerifyTransaction(
        ValidatorHistory validators, BlockHeader header, FinalityCertificate certificate,
        Transaction tx, MerkleProof txProof, Receipt receipt, MerkleProof receiptProof, LinkTrace? trace = null)
    {
        var final = VerifyCertificate(validators, header, certificate, trace);
        if (!final.Ok)
        {
            return final;
        }
        if (tx.ChainId != validators.ChainId)
        {
            return VerificationResult.Broken("transaction", $"tx is for chain '{tx.ChainId}'");
        }
        if (!tx.VerifySignature())
        {
            return VerificationResult.Broken("transaction", "the tx signature does not verify against its signer key");
        }
        trace?.Pass("transaction", $"tx {tx.Id} is for chain '{tx.ChainId}' and its signature verifies against signer {tx.SignerAddress}");
        if (txProof.TreeSize != header.TxCount || !MerkleTree.Verify(header.TxRoot, TxLeaf(tx.Id), txProof))
        {
            return VerificationResult.Broken("tx-inclusion", $"tx {tx.Id} is not at index {txProof.LeafIndex} of block {header.Height}'s tx root");
        }
        trace?.Pass("tx-inclusion", $"the tx is leaf {txProof.LeafIndex} of {txProof.TreeSize} under block {header.Height}'s tx root");
        if (receipt.TxId != tx.Id)
        {
            return VerificationResult.Broken("receipt", "the receipt is for another tx");
        }
        if (receiptProof.LeafIndex != txProof.LeafIndex || receiptProof.TreeSize != header.TxCount ||
            !MerkleTree.Verify(header.ReceiptsRoot, ReceiptLeaf(receipt), receiptProof))
        {
            return VerificationResult.Broken("receipt-inclusion", $"the receipt is not at index {txProof.LeafIndex} of block {header.Height}'s receipts root");
        }
        trace?.Pass("receipt-inclusion", $"its receipt (status {receipt.Status.Text()}) is the same leaf under block {header.Height}'s receipts root");
        return VerificationResult.Valid($"tx {tx.Id} is in block {header.Height} at index {txProof.LeafIndex} with status {receipt.Status.Text()}; {final.Message}");
    }

    /// <summary>A block's tx root commits to tx ids, in block order.</summary>
    public static Hash TxLeaf(in Hash txId)
    {
        Span<byte> bytes = stackalloc byte[Hash.Size];
        txId.CopyTo(bytes);
        return MerkleTree.LeafHash(bytes);
    }

    /// <summary>A block's receipts root commits to the canonical receipt bytes, in block order.</summary>
    public static Hash ReceiptLeaf(Receipt receipt) => MerkleTree.LeafHash(receipt.Encoded.Span);
}
