namespace ThingLedger.Execution;

/// <summary>What a module handler returns: success, or a stable error code from <see cref="Core.ErrorCodes"/>.</summary>
public readonly record struct Outcome(string? ErrorCode)
{
    public static Outcome Ok => default;

    public bool Succeeded => ErrorCode is null;

    public static Outcome Fail(string code) => new(code);

    public static implicit operator Outcome(string code) => new(code);
}
