using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Identity;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Json;

namespace ThingLedger.Node.Api;

/// <summary>Read-only queries of the built-in modules. Lists are key ranges over committed state, paged by cursor.</summary>
internal static class ModuleApi
{
    public static RouteGroupBuilder MapModuleApi(this RouteGroupBuilder api)
    {
        api.MapGet("/accounts/{address}", Account).WithTags("Accounts").WithName("GetAccount").WithSummary("An address's next nonce and membership.");
        api.MapGet("/accounts/{address}/txs", AccountTxs).WithTags("Accounts").WithName("GetAccountTxs").WithSummary("Txs signed by an address, newest first.");

        var orgs = api.MapGroup("/orgs").WithTags("Identity");
        orgs.MapGet("/", Orgs).WithName("ListOrgs").WithSummary("The organisations of the chain.");
        orgs.MapGet("/{id}/members", Members).WithName("ListMembers").WithSummary("Members of an organisation with their roles.");
        api.MapGet("/membership", Membership).WithTags("Identity").WithName("GetMembership")
            .WithSummary("Validator epochs (who certifies which heights, with which quorum) and membership proposals.");

        var devices = api.MapGroup("/devices").WithTags("Devices");
        devices.MapGet("/", Devices).WithName("ListDevices").WithSummary("Devices, optionally by owner or org; page with after=cursor.");
        devices.MapGet("/{id}", Device).WithName("GetDevice").WithSummary("A device by id (the address of its key).");

        var tokens = api.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapGet("/", Tokens).WithName("ListTokens").WithSummary("All tokens with supply and policy.");
        tokens.MapGet("/{symbol}", Token).WithName("GetToken").WithSummary("One token.");
        tokens.MapGet("/{symbol}/holders", Holders).WithName("ListHolders").WithSummary("Balances of a token, by holder address.");
        tokens.MapGet("/{symbol}/balances/{address}", Balance).WithName("GetBalance").WithSummary("One holder's balance (0 when none).");
        return api;
    }

    private static int Limit(int? limit) => Math.Clamp(limit ?? 50, 1, ChainApi.MaxPage);

    private static Results<Ok<AccountView>, ProblemHttpResult> Account(string address, LedgerNode node)
    {
        if (!Address.TryParse(address, out var a))
        {
            return Problems.BadRequest($"'{address}' is not an address (tl + 48 lowercase hex digits with checksum)");
        }
        var member = IdentityModule.ReadMember(node.Store, a);
        return TypedResults.Ok(new AccountView(address, StateMachine.LastNonce(node.Store, a) + 1, member is null ? null : ViewMapper.Member(address, member)));
    }

    private static Results<Ok<Page<TxView>>, ProblemHttpResult> AccountTxs(string address, LedgerNode node, int? limit)
    {
        if (!Address.TryParse(address, out var a))
        {
            return Problems.BadRequest($"'{address}' is not an address");
        }
        return TypedResults.Ok(new Page<TxView>([.. node.Store.TxsBySigner(a, Limit(limit)).Select(ViewMapper.Committed)], null));
    }

    private static Ok<List<OrgView>> Orgs(LedgerNode node) =>
        TypedResults.Ok(LedgerLists.Orgs(node.Store).Select(o => new OrgView(o.Id, o.Org.Name)).ToList());

    private static Ok<MembershipView> Membership(LedgerNode node)
    {
        var height = node.Head.Height;
        var epochs = IdentityModule.ReadEpochs(node.Store).Select(e => new EpochView(
            e.Set.Epoch, e.Set.From, e.Set.Quorum, [.. e.Set.Validators.Select(v => new ValidatorView(v.Org, v.PublicKey.ToHex()))],
            e.Set.Epoch == 0 ? null : e.ScheduledBy.ToString())).ToList();
        var proposals = node.Store.Scan(IdentityModule.ProposalsPrefix, null, 1_000)
            .Select(kv => ViewMapper.Proposal(kv.Key[IdentityModule.ProposalsPrefix.Length..], Decode(kv.Value, ProposalRecord.Read), height))
            .OrderByDescending(p => p.ProposedAt).ToList();
        return TypedResults.Ok(new MembershipView(height, node.Validators.At(height + 1).Epoch, epochs, proposals));
    }

    private static Results<Ok<Page<MemberView>>, ProblemHttpResult> Members(string id, LedgerNode node, string? after, int? limit)
    {
        if (!Identifiers.IsOrgId(id) || node.Store.Get(IdentityModule.OrgKey(id)) is null)
        {
            return Problems.NotFound($"no organisation '{id}'");
        }
        var prefix = IdentityModule.OrgMembersPrefix(id);
        var page = node.Store.Scan(prefix, after is null ? null : prefix + after, Limit(limit));
        var items = new List<MemberView>();
        foreach (var kv in page)
        {
            var address = kv.Key[prefix.Length..];
            if (IdentityModule.ReadMember(node.Store, Address.Parse(address)) is { } member)
            {
                items.Add(ViewMapper.Member(address, member));
            }
        }
        return TypedResults.Ok(new Page<MemberView>(items, NextCursor(page, prefix, Limit(limit))));
    }

    private static Results<Ok<Page<DeviceView>>, ProblemHttpResult> Devices(LedgerNode node, string? owner, string? org, string? after, int? limit)
    {
        string prefix;
        if (owner is not null)
        {
            if (!Address.TryParse(owner, out var o))
            {
                return Problems.BadRequest($"owner '{owner}' is not an address");
            }
            prefix = DevicesModule.ByOwnerPrefix(o);
        }
        else if (org is not null)
        {
            if (!Identifiers.IsOrgId(org))
            {
                return Problems.BadRequest($"'{org}' is not an organisation id");
            }
            prefix = DevicesModule.ByOrgPrefix(org);
        }
        else
        {
            prefix = DevicesModule.DevicesPrefix;
        }
        var page = node.Store.Scan(prefix, after is null ? null : prefix + after, Limit(limit));
        var items = new List<DeviceView>();
        foreach (var kv in page)
        {
            var id = Address.Parse(kv.Key[prefix.Length..]);
            if (DevicesModule.ReadDevice(node.Store, id) is { } device)
            {
                items.Add(ViewMapper.Device(device));
            }
        }
        return TypedResults.Ok(new Page<DeviceView>(items, NextCursor(page, prefix, Limit(limit))));
    }

    private static Results<Ok<DeviceView>, ProblemHttpResult> Device(string id, LedgerNode node)
    {
        if (!Address.TryParse(id, out var a))
        {
            return Problems.BadRequest($"'{id}' is not a device id (the address of its key)");
        }
        var device = DevicesModule.ReadDevice(node.Store, a);
        return device is null ? Problems.NotFound($"no device {id}") : TypedResults.Ok(ViewMapper.Device(device));
    }

    private static Ok<List<TokenView>> Tokens(LedgerNode node) =>
        TypedResults.Ok(LedgerLists.Tokens(node.Store).Select(t => ViewMapper.Token(t.Symbol, t.Token)).ToList());

    private static Results<Ok<TokenView>, ProblemHttpResult> Token(string symbol, LedgerNode node)
    {
        var token = Identifiers.IsSymbol(symbol) ? TokensModule.ReadToken(node.Store, symbol) : null;
        return token is null ? Problems.NotFound($"no token '{symbol}'") : TypedResults.Ok(ViewMapper.Token(symbol, token));
    }

    private static Results<Ok<Page<BalanceView>>, ProblemHttpResult> Holders(string symbol, LedgerNode node, string? after, int? limit)
    {
        if (!Identifiers.IsSymbol(symbol) || TokensModule.ReadToken(node.Store, symbol) is null)
        {
            return Problems.NotFound($"no token '{symbol}'");
        }
        var prefix = TokensModule.BalancesPrefix(symbol);
        var page = node.Store.Scan(prefix, after is null ? null : prefix + after, Limit(limit));
        var items = page.Select(kv => new BalanceView(symbol, kv.Key[prefix.Length..],
            TokensModule.Text(Amounts.Decode(kv.Value)))).ToList();
        return TypedResults.Ok(new Page<BalanceView>(items, NextCursor(page, prefix, Limit(limit))));
    }

    private static Results<Ok<BalanceView>, ProblemHttpResult> Balance(string symbol, string address, LedgerNode node)
    {
        if (!Identifiers.IsSymbol(symbol) || TokensModule.ReadToken(node.Store, symbol) is null)
        {
            return Problems.NotFound($"no token '{symbol}'");
        }
        if (!Address.TryParse(address, out var a))
        {
            return Problems.BadRequest($"'{address}' is not an address");
        }
        return TypedResults.Ok(new BalanceView(symbol, address, TokensModule.Text(TokensModule.ReadBalance(node.Store, symbol, a))));
    }

    private static string? NextCursor(IReadOnlyList<KeyValuePair<string, byte[]>> page, string prefix, int limit) =>
        page.Count == limit ? page[^1].Key[prefix.Length..] : null;

    private static T Decode<T>(byte[] bytes, Payload.Reader<T> read) =>
        Payload.TryDecode(bytes, read, out var value) ? value : throw new InvalidOperationException("a state record does not decode");
}
