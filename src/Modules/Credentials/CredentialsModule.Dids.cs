using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using static ThingLedger.Execution.Modules.Credentials.CredentialsState;

namespace ThingLedger.Execution.Modules.Credentials;

/// <summary>DID documents: create, update (methods added and removed, never deleted), deactivate (docs/IDENTITY.md, "Create", "Update and key rotation", "Deactivate").</summary>
public sealed partial class CredentialsModule
{
    private static Outcome DoCreate(TxContext context, DidCreatePayload p)
    {
        var did = context.Signer;
        if (context.State.Contains(DidKey(did)))
        {
            return CredentialsErrors.DidExists;
        }
        if (p.Methods.Length == 0)
        {
            return CredentialsErrors.NoKeys;
        }
        var invalid = CheckMethods(p.Methods, []) ?? CheckServices(p.Services) ?? CheckControllers(p.Controllers);
        if (invalid is not null)
        {
            return invalid;
        }
        foreach (var m in p.Methods)
        {
            context.State.Set(MethodKey(did, m.Fragment), Canonical.Encode(new DidKeyRecord(m.Key, m.Purposes, context.Timestamp, context.Height, 0)));
        }
        var controllers = p.Controllers.Length == 0 ? [did] : p.Controllers;
        context.State.Set(DidKey(did), Canonical.Encode(new DidRecord(controllers, p.Services, [.. p.Methods.Select(m => m.Fragment)], context.Timestamp, context.Timestamp, 0, 1)));
        context.Emit(CredentialsEvents.DidCreated, new("did", CredentialRules.Did(did)), new("address", did.ToString()), new("keys", string.Join(",", p.Methods.Select(m => m.Fragment))));
        return Outcome.Ok;
    }

    private static Outcome DoUpdate(TxContext context, DidUpdatePayload p)
    {
        var check = CheckController(context, p.Did, out var record);
        if (!check.Succeeded)
        {
            return check;
        }
        var invalid = CheckMethods(p.Add, record!.Fragments) ?? (p.ReplaceServices ? CheckServices(p.Services) : null) ?? CheckControllers(p.Controllers);
        if (invalid is not null)
        {
            return invalid;
        }
        if (record.Fragments.Length + p.Add.Length > CredentialRules.MaxFragmentsEver)
        {
            return CredentialsErrors.DidInvalid;
        }
        var current = new List<string>();
        foreach (var fragment in record.Fragments)
        {
            if (ReadMethod(context.State, p.Did, fragment) is { Current: true })
            {
                current.Add(fragment);
            }
        }
        foreach (var fragment in p.Remove)
        {
            if (!current.Remove(fragment))
            {
                return CredentialsErrors.KeyNotFound;
            }
            var method = ReadMethod(context.State, p.Did, fragment)!;
            context.State.Set(MethodKey(p.Did, fragment), Canonical.Encode(method with { Removed = context.Timestamp }));
        }
        if (current.Count + p.Add.Length == 0)
        {
            return CredentialsErrors.NoKeys;
        }
        foreach (var m in p.Add)
        {
            context.State.Set(MethodKey(p.Did, m.Fragment), Canonical.Encode(new DidKeyRecord(m.Key, m.Purposes, context.Timestamp, context.Height, 0)));
        }
        context.State.Set(DidKey(p.Did), Canonical.Encode(record with
        {
            Controllers = p.Controllers.Length == 0 ? record.Controllers : p.Controllers,
            Services = p.ReplaceServices ? p.Services : record.Services,
            Fragments = [.. record.Fragments, .. p.Add.Select(m => m.Fragment)],
            Updated = context.Timestamp,
            Version = record.Version + 1,
        }));
        context.Emit(CredentialsEvents.DidUpdated, new("did", CredentialRules.Did(p.Did)), new("address", p.Did.ToString()),
            new("added", string.Join(",", p.Add.Select(m => m.Fragment))), new("removed", string.Join(",", p.Remove)), new("by", context.Signer.ToString()));
        return Outcome.Ok;
    }

    private static Outcome DoDeactivate(TxContext context, DidPayload p)
    {
        var check = CheckController(context, p.Did, out var record);
        if (!check.Succeeded)
        {
            return check;
        }
        context.State.Set(DidKey(p.Did), Canonical.Encode(record! with { Deactivated = context.Timestamp, Updated = context.Timestamp, Version = record.Version + 1 }));
        context.Emit(CredentialsEvents.DidDeactivated, new("did", CredentialRules.Did(p.Did)), new("address", p.Did.ToString()), new("by", context.Signer.ToString()));
        return Outcome.Ok;
    }

    /// <summary>The DID exists, is active, and the signer is one of its current controllers.</summary>
    private static Outcome CheckController(TxContext context, Address did, out DidRecord? record)
    {
        record = ReadDid(context.State, did);
        if (record is null)
        {
            return CredentialsErrors.DidNotFound;
        }
        if (!record.Active)
        {
            return CredentialsErrors.DidDeactivated;
        }
        return Array.IndexOf(record.Controllers, context.Signer) >= 0 ? Outcome.Ok : CredentialsErrors.NotController;
    }

    /// <summary>Methods to add: valid fragments, unique among themselves and never used by the DID before, a purpose each.</summary>
    private static string? CheckMethods(DidMethod[] methods, string[] used)
    {
        var seen = new HashSet<string>(used, StringComparer.Ordinal);
        foreach (var m in methods)
        {
            if (!CredentialRules.IsFragment(m.Fragment) || m.Purposes == DidPurposes.None || (m.Purposes & ~DidPurposes.All) != 0)
            {
                return CredentialsErrors.DidInvalid;
            }
            if (!seen.Add(m.Fragment))
            {
                return CredentialsErrors.KeyExists;
            }
        }
        return null;
    }

    private static string? CheckServices(DidService[] services)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in services)
        {
            if (!CredentialRules.IsFragment(s.Fragment) || !CredentialRules.IsServiceType(s.Type) || !CredentialRules.IsEndpoint(s.Endpoint) || !seen.Add(s.Fragment))
            {
                return CredentialsErrors.DidInvalid;
            }
        }
        return null;
    }

    private static string? CheckControllers(Address[] controllers) =>
        controllers.Distinct().Count() == controllers.Length ? null : CredentialsErrors.DidInvalid;
}
