using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.AccessLogs;

/// <summary>
/// The access log's surface for other modules: a module that gives someone a subject's data (a
/// delivery, a query, a key wrapped to a buyer) appends an entry to the subject's log, written
/// with the access module's authority; the subject lists its log ("who got my data, when, why").
/// </summary>
public interface IAccessLog
{
    /// <summary>Appends an entry to <paramref name="subject"/>'s log, recorded by the tx's signer; <see cref="AccessErrors.KindInvalid"/> for a kind that is not a label.</summary>
    Outcome Append(TxContext context, Address subject, string kind, Hash commitment);
}

/// <summary>The access log over state: access/entry/{subject}/{n} and access/entries/{subject}.</summary>
public sealed class AccessLog : IAccessLog
{
    public static string EntriesPrefix(Address subject) => $"access/entry/{subject}/";

    public static string EntryKey(Address subject, ulong n) => $"{EntriesPrefix(subject)}{n:D10}";

    public static string CountKey(Address subject) => $"access/entries/{subject}";

    public Outcome Append(TxContext context, Address subject, string kind, Hash commitment)
    {
        if (!AccessCommitments.IsKind(kind))
        {
            return AccessErrors.KindInvalid;
        }
        using var owned = context.State.Own(AccessNames.ModuleName);
        var n = Counters.Read(context.State, CountKey(subject)) + 1;
        context.State.Set(EntryKey(subject, n), Canonical.Encode(new AccessEntry(kind, commitment, context.Signer, context.Timestamp, context.Height)));
        Counters.Write(context.State, CountKey(subject), n);
        context.Emit(AccessEvents.Recorded, new("subject", subject.ToString()), new("kind", kind), new("entry", n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("by", context.Signer.ToString()));
        return Outcome.Ok;
    }
}
