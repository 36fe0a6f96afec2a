using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Ledger;

/// <summary>
/// The validators whose attestations count, and how many must agree, from block
/// <see cref="From"/> until the next epoch starts. Epoch 0 is the genesis set; each later epoch
/// is scheduled by a membership change that a quorum of the then-current organisations approved
/// (docs/CONSORTIUM.md "Membership"). Validators are sorted by key so the set has one encoding.
/// </summary>
public sealed class ValidatorSet : ICanonical
{
    public const int MaxValidators = FinalityCertificate.MaxAttestations;

    public ValidatorSet(ulong epoch, ulong from, IEnumerable<GenesisValidator> validators, int quorum)
    {
        Epoch = epoch;
        From = from;
        Validators = [.. validators.OrderBy(v => v.PublicKey.ToHex(), StringComparer.Ordinal)];
        Quorum = quorum;
    }

    public ulong Epoch { get; }

    /// <summary>The first height this set certifies.</summary>
    public ulong From { get; }

    public IReadOnlyList<GenesisValidator> Validators { get; }
    public int Quorum { get; }

    public static ValidatorSet FromGenesis(Genesis genesis) => new(0, 0, genesis.Validators, genesis.Quorum);

    /// <summary>The organisation that runs <paramref name="key"/> in this set, or null.</summary>
    public string? OrgOf(PublicKey key)
    {
        foreach (var v in Validators)
        {
            if (v.PublicKey.Equals(key))
            {
                return v.Org;
            }
        }
        return null;
    }

    public bool Contains(PublicKey key) => OrgOf(key) is not null;

    /// <summary>Organisations running at least one validator: the ones whose admins decide membership.</summary>
    /// <summary>Whether the validators of <paramref name="approvingOrgs"/> are a quorum of this set (a governance proposal's approvals).</summary>
    public bool IsQuorum(IReadOnlyCollection<string> approvingOrgs) =>
        Validators.Count(v => approvingOrgs.Contains(v.Org, StringComparer.Ordinal)) >= Quorum;

    public IReadOnlySet<string> Orgs => Validators.Select(v => v.Org).ToHashSet(StringComparer.Ordinal);

    /// <summary>Why this set cannot certify blocks (no validators, a key twice, quorum out of range), or null.</summary>
    public string? Problem()
    {
        if (Validators.Count == 0 || Validators.Count > MaxValidators)
        {
            return $"a validator set needs 1 to {MaxValidators} validators, this one has {Validators.Count}";
        }
        for (var i = 1; i < Validators.Count; i++)
        {
            if (Validators[i].PublicKey.Equals(Validators[i - 1].PublicKey))
            {
                return "a validator key is listed twice";
            }
        }
        return Quorum < 1 || Quorum > Validators.Count
            ? $"quorum {Quorum} must be between 1 and the number of validators ({Validators.Count})"
            : null;
    }

    public int EncodedLength => 8 + 8 + GenesisValidator.ListLength(Validators) + 4;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Epoch);
        writer.WriteU64(From);
        GenesisValidator.WriteList(ref writer, Validators);
        writer.WriteU32((uint)Quorum);
    }

    public byte[] Encode() => Canonical.Encode(this);

    public Hash ComputeHash() => Hash.Sha256(Encode());

    public static ValidatorSet Read(ref SpanReader reader)
    {
        var epoch = reader.ReadU64();
        var from = reader.ReadU64();
        var count = reader.ReadCount(MaxValidators);
        var validators = new GenesisValidator[reader.Ok ? count : 0];
        for (var i = 0; i < validators.Length && reader.Ok; i++)
        {
            var org = reader.ReadString(Transaction.MaxNameBytes);
            var key = reader.ReadPublicKey();
            validators[i] = new GenesisValidator(org, key!);
            if (reader.Ok && i > 0 && string.CompareOrdinal(validators[i - 1].PublicKey.ToHex(), key!.ToHex()) >= 0)
            {
                reader.Fail(CodecError.NotSorted);
            }
        }
        var quorum = reader.ReadU32();
        return new ValidatorSet(epoch, from, reader.Ok ? validators : [], quorum > int.MaxValue ? 0 : (int)quorum);
    }

    public static CodecError TryDecode(ReadOnlySpan<byte> bytes, out ValidatorSet? set)
    {
        var reader = new SpanReader(bytes);
        var read = Read(ref reader);
        var error = reader.Finish();
        set = error == CodecError.None ? read : null;
        return error;
    }
}

/// <summary>
/// Every validator set of a chain in order: genesis, then each scheduled membership change.
/// Immutable; <see cref="TryAppend"/> returns a longer history.
/// </summary>
public sealed class ValidatorHistory
{
    private readonly ValidatorSet[] _epochs;

    private ValidatorHistory(AttestationScope scope, ValidatorSet[] epochs)
    {
        Scope = scope;
        _epochs = epochs;
    }

    public static ValidatorHistory FromGenesis(Genesis genesis) => new(AttestationScope.Of(genesis), [ValidatorSet.FromGenesis(genesis)]);

    public string ChainId => Scope.ChainId;

    /// <summary>What every validator of the chain signs in: its chain id and, from genesis version 2, its genesis hash.</summary>
    public AttestationScope Scope { get; }

    public IReadOnlyList<ValidatorSet> Epochs => _epochs;

    /// <summary>The latest scheduled set (it may start in the future).</summary>
    public ValidatorSet Latest => _epochs[^1];

    /// <summary>The set that certifies block <paramref name="height"/>.</summary>
    public ValidatorSet At(ulong height)
    {
        for (var i = _epochs.Length - 1; i > 0; i--)
        {
            if (_epochs[i].From <= height)
            {
                return _epochs[i];
            }
        }
        return _epochs[0];
    }

    /// <summary>
    /// The history with <paramref name="next"/> appended, or null with the reason when it does not
    /// follow: epochs are numbered 1, 2, … and each starts after the previous one.
    /// </summary>
    public ValidatorHistory? TryAppend(ValidatorSet next, out string? problem)
    {
        problem = next.Epoch != Latest.Epoch + 1
            ? $"epoch {next.Epoch} does not follow epoch {Latest.Epoch}"
            : next.From <= Latest.From
                ? $"epoch {next.Epoch} starts at height {next.From}, not after epoch {Latest.Epoch} (height {Latest.From})"
                : next.Problem();
        return problem is null ? new ValidatorHistory(Scope, [.. _epochs, next]) : null;
    }
}

/// <summary>
/// The receipt event of the tx that scheduled a new validator set. Verifiers find the set's hash
/// here and check the set they were given against it.
/// </summary>
public static class MembershipEvent
{
    public const string Module = "identity";
    public const string Name = "membership-scheduled";
    public const string Epoch = "epoch";
    public const string From = "from";
    public const string SetHash = "set-hash";
}
