using ThingLedger.Core.Codec;
using static ThingLedger.Execution.Modules.Credentials.CredentialsState;

namespace ThingLedger.Execution.Modules.Credentials;

/// <summary>
/// Issuers' Bitstring Status Lists (docs/IDENTITY.md "Status lists"), stored in pages of
/// 131,072 entries; a page no entry of which was ever set is not stored.
/// </summary>
public sealed partial class CredentialsModule
{
    private static Outcome DoStatusList(TxContext context, StatusListPayload p)
    {
        var check = CheckController(context, p.Issuer, out _);
        if (!check.Succeeded)
        {
            return check;
        }
        if (!CredentialRules.IsListName(p.Name) || p.Purpose is not (StatusPurpose.Revocation or StatusPurpose.Suspension) || !CredentialRules.IsListSize(p.Size))
        {
            return CredentialsErrors.StatusListInvalid;
        }
        if (context.State.Contains(StatusListKey(p.Issuer, p.Name)))
        {
            return CredentialsErrors.StatusListExists;
        }
        context.State.Set(StatusListKey(p.Issuer, p.Name), Canonical.Encode(new StatusListRecord(p.Purpose, p.Size, 0, context.Timestamp, context.Timestamp)));
        context.Emit(CredentialsEvents.StatusListCreated, new("list", CredentialRules.StatusListUrl(p.Issuer, p.Name)), new("issuer", p.Issuer.ToString()),
            new("purpose", StatusListPayload.PurposeName(p.Purpose)), new("size", p.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Outcome.Ok;
    }

    private static Outcome DoStatusSet(TxContext context, StatusSetPayload p)
    {
        var check = CheckController(context, p.Issuer, out _);
        if (!check.Succeeded)
        {
            return check;
        }
        if (ReadStatusList(context.State, p.Issuer, p.Name) is not { } list)
        {
            return CredentialsErrors.StatusListNotFound;
        }
        if (p.Indices.Length == 0)
        {
            return CredentialsErrors.StatusIndexInvalid;
        }
        if (!p.Value && list.Purpose == StatusPurpose.Revocation)
        {
            return CredentialsErrors.StatusFinal;
        }
        var pages = new SortedDictionary<uint, byte[]>();
        var set = (long)list.Set;
        foreach (var index in p.Indices)
        {
            if (index >= list.Size)
            {
                return CredentialsErrors.StatusIndexInvalid;
            }
            var number = index / CredentialRules.PageEntries;
            if (!pages.TryGetValue(number, out var page))
            {
                // A copy: the bytes state hands out are the committed ones, and this tx may yet fail.
                page = ReadStatusPage(context.State, p.Issuer, p.Name, number)?.ToArray() ?? new byte[CredentialRules.PageBytes];
                pages[number] = page;
            }
            var i = index % CredentialRules.PageEntries;
            var mask = (byte)(0x80 >> (int)(i % 8));
            var was = (page[i / 8] & mask) != 0;
            if (was != p.Value)
            {
                page[i / 8] = p.Value ? (byte)(page[i / 8] | mask) : (byte)(page[i / 8] & ~mask);
                set += p.Value ? 1 : -1;
            }
        }
        foreach (var (number, page) in pages)
        {
            context.State.Set(StatusPageKey(p.Issuer, p.Name, number), page);
        }
        context.State.Set(StatusListKey(p.Issuer, p.Name), Canonical.Encode(list with { Set = (uint)set, Updated = context.Timestamp }));
        context.Emit(CredentialsEvents.StatusChanged, new("list", CredentialRules.StatusListUrl(p.Issuer, p.Name)), new("issuer", p.Issuer.ToString()),
            new("entries", p.Indices.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("value", p.Value ? "set" : "cleared"),
            new("set", set.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Outcome.Ok;
    }
}
