using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Json;
using ThingLedger.Node.Modules.Identity;

namespace ThingLedger.Node.Api;

/// <summary>Accounts: an address's next nonce, its membership and the txs it signed.</summary>
internal static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this RouteGroupBuilder api)
    {
        api.MapGet("/accounts/{address}", Account).WithTags("Accounts").WithName("GetAccount").WithSummary("An address's next nonce and membership.");
        api.MapGet("/accounts/{address}/txs", AccountTxs).WithTags("Accounts").WithName("GetAccountTxs").WithSummary("Txs signed by an address, newest first.");
        return api;
    }

    private static Results<Ok<AccountView>, ProblemHttpResult> Account(string address, LedgerNode node, IdentityQueries identity)
    {
        if (!Address.TryParse(address, out var a))
        {
            return Problems.BadRequest($"'{address}' is not an address (tl + 48 lowercase hex digits with checksum)");
        }
        var member = identity.Member(a);
        return TypedResults.Ok(new AccountView(address, StateMachine.LastNonce(node.Store, a) + 1, member is null ? null : IdentityNode.View(address, member)));
    }

    private static Results<Ok<Page<TxView>>, ProblemHttpResult> AccountTxs(string address, LedgerNode node, int? limit)
    {
        if (!Address.TryParse(address, out var a))
        {
            return Problems.BadRequest($"'{address}' is not an address");
        }
        return TypedResults.Ok(new Page<TxView>([.. node.Store.TxsBySigner(a, Problems.Limit(limit)).Select(ViewMapper.Committed)], null));
    }
}
