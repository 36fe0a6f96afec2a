using System.Globalization;
using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.Tokens;

/// <summary>
/// Fungible tokens owned by an organisation. Its admins create them with a mint policy (which
/// roles may mint, an optional cap); holders transfer and burn. Invariant: the sum of all
/// balances equals the supply, and the supply never exceeds the cap.
/// </summary>
public sealed class TokensModule : IModule
{
    public const string ModuleName = TokensNames.ModuleName;
    public const string Create = TokensNames.Create;
    public const string Mint = TokensNames.Mint;
    public const string TransferOp = TokensNames.TransferOp;
    public const string Burn = TokensNames.Burn;

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(TokensErrors));

    public IReadOnlyList<EventType> Events => TokensEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of(TokensPrefix, "token", TokenRecord.Read),
        StateRecordType.Amount("tokens/balance/", "balance (smallest units)"),
    ];

    /// <summary>The surface other modules move, issue and destroy tokens through.</summary>
    public ITokenLedger Ledger => _ledger;

    private readonly TokenLedger _ledger = new();

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(Create, CreateTokenPayload.Read, DoCreate, static p =>
            [F.Token(p.Symbol), F.Text("name", p.Name), F.Number("decimals", p.Decimals), F.Text("mint roles", RoleNames.Format(p.MintRoles)),
             p.Cap == 0 ? F.Text("cap", "none") : F.Amount("cap", p.Cap, p.Symbol)], Access.Members)
        .Add(Mint, TokenAmountPayload.Read, DoMint, DescribeAmount, Access.Members)
        .Add(TransferOp, TokenAmountPayload.Read, DoTransfer, DescribeAmount)
        .Add(Burn, BurnPayload.Read, DoBurn, static p => [F.Token(p.Symbol), F.Amount("amount", p.Amount, p.Symbol)]);

    private static F[] DescribeAmount(TokenAmountPayload p) => [F.Token(p.Symbol), F.Account("to", p.To), F.Amount("amount", p.Amount, p.Symbol)];

    private OperationTable? _operations;

    public const string TokensPrefix = "tokens/token/";
    public static string TokenKey(string symbol) => TokensPrefix + symbol;
    public static string BalancesPrefix(string symbol) => $"tokens/balance/{symbol}/";
    public static string BalanceKey(string symbol, Address holder) => BalancesPrefix(symbol) + holder;

    public static TokenRecord? ReadToken(IStateReader state, string symbol) => Payload.Get(state, TokenKey(symbol), TokenRecord.Read);

    public static UInt128 ReadBalance(IStateReader state, string symbol, Address holder) =>
        Amounts.Read(state, BalanceKey(symbol, holder));

    public void InitGenesis(Genesis genesis, StateView state)
    {
    }


    private static Outcome DoCreate(TxContext context, CreateTokenPayload p)
    {
        if (context.SignerMembership is not { } signer || !signer.Has(Roles.Admin))
        {
            return ErrorCodes.Unauthorised;
        }
        if (!Identifiers.IsSymbol(p.Symbol) || !Identifiers.IsText(p.Name, 128) || p.Name.Length == 0 ||
            p.Decimals > CreateTokenPayload.MaxDecimals || p.MintRoles == Roles.None || (p.MintRoles & ~Roles.All) != 0)
        {
            return ErrorCodes.InvalidArgument;
        }
        if (context.State.Contains(TokenKey(p.Symbol)))
        {
            return TokensErrors.TokenExists;
        }
        context.State.Set(TokenKey(p.Symbol), Canonical.Encode(new TokenRecord(signer.Org, p.Name, p.Decimals, p.MintRoles, p.Cap, UInt128.Zero)));
        context.Emit(TokensEvents.Created, new("symbol", p.Symbol), new("org", signer.Org), new("cap", Text(p.Cap)));
        return Outcome.Ok;
    }

    private Outcome DoMint(TxContext context, TokenAmountPayload p)
    {
        var token = ReadToken(context.State, p.Symbol);
        if (token is null)
        {
            return TokensErrors.TokenNotFound;
        }
        if (token.IsModuleIssued)
        {
            return TokensErrors.TokenModuleIssued;
        }
        if (context.SignerMembership is not { } signer || signer.Org != token.Org || !signer.Has(token.MintRoles))
        {
            return ErrorCodes.Unauthorised;
        }
        return _ledger.Issue(context, p.Symbol, p.To, p.Amount);
    }

    private Outcome DoTransfer(TxContext context, TokenAmountPayload p) =>
        _ledger.Move(context, p.Symbol, context.Signer, p.To, p.Amount);

    private Outcome DoBurn(TxContext context, BurnPayload p) =>
        ReadToken(context.State, p.Symbol) is { IsModuleIssued: true } ? TokensErrors.TokenModuleIssued : _ledger.Destroy(context, p.Symbol, context.Signer, p.Amount);

    public static string Text(UInt128 amount) => amount.ToString(CultureInfo.InvariantCulture);
}
