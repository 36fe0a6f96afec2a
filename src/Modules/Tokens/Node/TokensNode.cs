using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Modules.Tokens;

/// <summary>The token module's node part: tokens, holders and balances, read through <see cref="TokenQueries"/>.</summary>
internal sealed class TokensNode : NodeModule
{
    public override string Module => TokensNames.ModuleName;

    public override void AddServices(IServiceCollection services) => services.AddSingleton<TokenQueries>();

    public override IReadOnlyList<ExplorerLink> Navigation => [new("/tokens", "Tokens")];

    public override string? Find(IServiceProvider services, string term) =>
        services.GetRequiredService<TokenQueries>().Token(term) is not null ? $"/tokens/{term}" : null;

    public override void MapApi(RouteGroupBuilder v1)
    {
        var tokens = v1.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapGet("/", Tokens).WithName("ListTokens").WithSummary("All tokens with supply and policy.");
        tokens.MapGet("/{symbol}", Token).WithName("GetToken").WithSummary("One token.");
        tokens.MapGet("/{symbol}/holders", Holders).WithName("ListHolders").WithSummary("Balances of a token, by holder address.");
        tokens.MapGet("/{symbol}/balances/{address}", Balance).WithName("GetBalance").WithSummary("One holder's balance (0 when none).");
    }

    private static Ok<List<TokenView>> Tokens(TokenQueries tokens) =>
        TypedResults.Ok(tokens.Tokens().Select(t => View(t.Symbol, t.Token)).ToList());

    private static Results<Ok<TokenView>, ProblemHttpResult> Token(string symbol, TokenQueries tokens) =>
        tokens.Token(symbol) is { } token ? TypedResults.Ok(View(symbol, token)) : Problems.NotFound($"no token '{symbol}'");

    private static Results<Ok<Page<BalanceView>>, ProblemHttpResult> Holders(string symbol, TokenQueries tokens, string? after, int? limit)
    {
        if (tokens.Token(symbol) is null)
        {
            return Problems.NotFound($"no token '{symbol}'");
        }
        var page = tokens.Holders(symbol, after, Problems.Limit(limit));
        return TypedResults.Ok(new Page<BalanceView>([.. page.Items.Select(h => new BalanceView(symbol, h.Holder, TokensModule.Text(h.Balance)))], page.Next));
    }

    private static Results<Ok<BalanceView>, ProblemHttpResult> Balance(string symbol, string address, TokenQueries tokens)
    {
        if (tokens.Token(symbol) is null)
        {
            return Problems.NotFound($"no token '{symbol}'");
        }
        if (!Address.TryParse(address, out var a))
        {
            return Problems.BadRequest($"'{address}' is not an address");
        }
        return TypedResults.Ok(new BalanceView(symbol, address, TokensModule.Text(tokens.Balance(symbol, a))));
    }

    internal static TokenView View(string symbol, TokenRecord t) => new(
        symbol, t.Org, t.Name, t.Decimals, RoleNames.Format(t.MintRoles), TokensModule.Text(t.Cap), TokensModule.Text(t.Supply));
}
