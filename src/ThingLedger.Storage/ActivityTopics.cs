using System.Text;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Storage;

/// <summary>
/// What a committed tx is about, for the activity index: every address and token symbol its events
/// name in attributes their event types declare as <see cref="Topic.Address"/> or
/// <see cref="Topic.Token"/> (a device, a sender, a recipient, an owner, a member). A device's
/// history, an account's transfers and a token's movements are then index lookups, never scans.
/// Topics are short binary keys: a kind byte, then the address's 20 bytes or the symbol's UTF-8.
/// </summary>
public static class ActivityTopics
{
    private const byte AddressKind = (byte)'a';
    private const byte TokenKind = (byte)'t';

    /// <summary>The topic of txs whose events name <paramref name="address"/>.</summary>
    public static byte[] OfAddress(Address address)
    {
        var topic = new byte[1 + Address.Size];
        topic[0] = AddressKind;
        address.CopyTo(topic.AsSpan(1));
        return topic;
    }

    /// <summary>The topic of txs whose events name token <paramref name="symbol"/>.</summary>
    public static byte[] OfToken(string symbol)
    {
        var topic = new byte[1 + Encoding.UTF8.GetByteCount(symbol)];
        topic[0] = TokenKind;
        Encoding.UTF8.GetBytes(symbol, topic.AsSpan(1));
        return topic;
    }

    /// <summary>The distinct topics of a receipt's events (a failed tx has at most the one event saying why it failed), as <paramref name="events"/> declares them.</summary>
    public static void Collect(Receipt receipt, EventCatalog events, List<byte[]> topics)
    {
        topics.Clear();
        foreach (var e in receipt.Events)
        {
            foreach (var attribute in e.Attributes)
            {
                byte[]? topic = events.TopicOf(e, attribute) switch
                {
                    Topic.Token => OfToken(attribute.Value),
                    Topic.Address when Address.TryParse(attribute.Value, out var address) => OfAddress(address),
                    _ => null,
                };
                if (topic is not null && !topics.Exists(t => t.AsSpan().SequenceEqual(topic)))
                {
                    topics.Add(topic);
                }
            }
        }
    }
}
