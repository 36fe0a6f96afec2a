namespace ThingLedger.Client.Contracts;

/// <summary>A reward programme: what it pays for (amounts in the token's smallest unit; 0 = off), its cap per account and period, budget left and paid.</summary>
public sealed record ProgrammeView(
    string Id, string Org, string Token, string Budget, string BudgetLeft, string Paid, ushort PeriodDays, string CapPerPeriod,
    string? UnitSchema, string? UnitField, long UnitSize, string PerUnit, string PerCleanSummary, string Onboarding, string Referral, ulong Height);
