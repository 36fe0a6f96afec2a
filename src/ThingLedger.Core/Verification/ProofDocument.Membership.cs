using ThingLedger.Core.Codec;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Merkle;

namespace ThingLedger.Core.Verification;

public sealed partial class ProofDocument
{
    public const string MembershipKind = "membership";

    /// <summary>
    /// The membership changes from genesis up to this document's block, oldest first. Each is a
    /// document of kind "membership"; absent while the genesis validators still certify the block.
    /// </summary>
    public List<ProofDocument>? Membership { get; set; }

    // Kind "membership": the tx fields of the approval that scheduled the set, and the set itself.
    public string? ValidatorSet { get; set; }

    /// <summary>A membership link: the tx that scheduled <paramref name="set"/>, its receipt, and their inclusion in a final block.</summary>
    public static ProofDocument ForMembership(
        ValidatorSet set, BlockHeader header, FinalityCertificate certificate, Transaction tx, Receipt receipt, MerkleProof txProof, MerkleProof receiptProof)
    {
        var document = WithTx(ForBlock(MembershipKind, null, header, certificate), tx, receipt, txProof, receiptProof);
        document.ValidatorSet = Hex(set.Encode());
        return document;
    }

    /// <summary>
    /// Checks one link against the sets verified so far: the tx and its successful receipt are in
    /// a block final under <paramref name="validators"/>, the receipt's membership event names this
    /// set's hash and epoch, and the set starts after that block. Returns the longer history.
    /// </summary>
    private VerificationResult VerifyMembershipLink(ValidatorHistory validators, out ValidatorHistory? next)
    {
        next = null;
        if (Kind != MembershipKind)
        {
            return VerificationResult.Broken("document", $"a membership link has kind '{Kind}', expected '{MembershipKind}'");
        }
        if (GenesisHash is not null)
        {
            return VerificationResult.Broken("document", "a membership link names no genesis: the document it belongs to does");
        }
        if (!TryBytes(ValidatorSet, out var setBytes) || Ledger.ValidatorSet.TryDecode(setBytes, out var set) != CodecError.None)
        {
            return VerificationResult.Broken("validator-set", "the validator set is not canonical");
        }
        var block = DecodeBlock(out var header, out var certificate);
        var included = block.Ok ? VerifyMembershipTx(validators, header!, certificate!, set!) : block;
        if (!included.Ok)
        {
            return included;
        }
        next = validators.TryAppend(set!, out var problem);
        return next is null
            ? VerificationResult.Broken("validator-set", problem!)
            : VerificationResult.Valid($"epoch {set!.Epoch}: {set.Validators.Count} validators, quorum {set.Quorum}, from block {set.From}");
    }

    private VerificationResult VerifyMembershipTx(ValidatorHistory validators, BlockHeader header, FinalityCertificate certificate, ValidatorSet set)
    {
        var included = VerifyTx(validators, header, certificate);
        if (!included.Ok)
        {
            return included;
        }
        _ = Ledger.Receipt.TryDecode(Codec.Hex.TryDecode(Receipt, out var bytes) ? bytes : [], out var receipt);
        var scheduled = receipt!.Status == TxStatus.Success
            ? Array.Find(receipt.Events, e => e.Module == MembershipEvent.Module && e.Name == MembershipEvent.Name)
            : null;
        if (scheduled is null)
        {
            return VerificationResult.Broken("validator-set", $"the tx in block {header.Height} did not schedule a membership change");
        }
        if (scheduled[MembershipEvent.SetHash] != set.ComputeHash().ToString() ||
            scheduled[MembershipEvent.Epoch] != set.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return VerificationResult.Broken("validator-set", $"the validator set is not the one the tx in block {header.Height} scheduled");
        }
        return set.From <= header.Height
            ? VerificationResult.Broken("validator-set", $"epoch {set.Epoch} starts at block {set.From}, not after the block that scheduled it ({header.Height})")
            : included;
    }
}
