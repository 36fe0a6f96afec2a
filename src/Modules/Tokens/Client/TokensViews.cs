namespace ThingLedger.Client.Contracts;

public sealed record TokenView(string Symbol, string Org, string Name, byte Decimals, string MintRoles, string Cap, string Supply);

public sealed record BalanceView(string Symbol, string Address, string Balance);
