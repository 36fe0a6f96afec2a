using System.Collections.Concurrent;
using System.Security.Cryptography;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>What a tap answered: genuine or not, and why.</summary>
public sealed record TapOutcome(bool Genuine, string? Code, string Message, Address? Device);

/// <summary>
/// Tap-to-verify (docs/EPCIS.md "Tap to verify"): challenges this node gave, each for one item,
/// good once and for <see cref="ChallengeLifetimeMs"/>; a tap answers whether the signature over the
/// challenge verifies with the key of the tag bound to the item on chain. A copied tag cannot
/// answer: its key never leaves the genuine tag's secure element.
/// </summary>
public sealed class EpcisTaps(LedgerNode node, TimeProvider clock)
{
    public const long ChallengeLifetimeMs = 120_000;
    public const int MaxOpenChallenges = 100_000;

    private readonly ConcurrentDictionary<string, (string Item, long ExpiresMs)> _open = new(StringComparer.Ordinal);

    /// <summary>A fresh challenge for <paramref name="item"/> (its canonical id), or null when too many are open.</summary>
    public (byte[] Challenge, long ExpiresMs)? Challenge(string item)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (_open.Count >= MaxOpenChallenges)
        {
            foreach (var (key, value) in _open)
            {
                if (value.ExpiresMs <= now)
                {
                    _open.TryRemove(key, out _);
                }
            }
            if (_open.Count >= MaxOpenChallenges)
            {
                return null;
            }
        }
        var challenge = RandomNumberGenerator.GetBytes(EpcisTap.ChallengeBytes);
        _open[Convert.ToHexStringLower(challenge)] = (item, now + ChallengeLifetimeMs);
        return (challenge, now + ChallengeLifetimeMs);
    }

    /// <summary>Checks a tap: the challenge is one this node gave for the item, unexpired and unused; the item has a tag; the tag's signature verifies.</summary>
    public TapOutcome Tap(string item, string challengeHex, byte[] signature)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_open.TryRemove(challengeHex, out var open) || open.Item != item || open.ExpiresMs <= now)
        {
            return new(false, EpcisErrors.ChallengeUnknown, "the challenge is not one this node gave for this item in the last two minutes, or it was used; ask for a new one", null);
        }
        if (EpcisModule.ReadTag(node.Store, item) is not { } tag)
        {
            return new(false, EpcisErrors.NoTag, $"no tag is bound to {item} on chain; it cannot be tapped to verify", null);
        }
        var device = DevicesModule.ReadDevice(node.Store, tag.Device);
        if (device is not { Status: DeviceStatus.Active })
        {
            return new(false, EpcisErrors.TapInvalid, $"the tag {tag.Device} bound to {item} is revoked: the item cannot be verified by its tag", tag.Device);
        }
        var digest = EpcisTap.Digest(node.Genesis.ChainId, item, Convert.FromHexString(challengeHex));
        return SignatureVerifier.Verify(device.PublicKey, digest, signature)
            ? new(true, null, $"genuine: the tag {tag.Device} bound to {item} signed this node's fresh challenge", tag.Device)
            : new(false, EpcisErrors.TapInvalid, $"the signature does not verify with the key of the tag {tag.Device} bound to {item}: this is not its tag (a copy, or a counterfeit)", tag.Device);
    }
}
