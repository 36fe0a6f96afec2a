namespace ThingLedger.Core.Codec;

/// <summary>Why a decoder refused its input. Values are stable: they appear in error details.</summary>
public enum CodecError : byte
{
    None = 0,
    Truncated = 1,
    TrailingBytes = 2,
    NonMinimalVarint = 3,
    VarintOverflow = 4,
    LengthTooLarge = 5,
    InvalidUtf8 = 6,
    UnknownVersion = 7,
    OutOfRange = 8,
    InvalidValue = 9,
    NotSorted = 10,
    /// <summary>More elements in total than the caller allows (e.g. readings in one upload): refused before they are read.</summary>
    OverLimit = 11,

    /// <summary>A string holds a Unicode format character (Cf) where plain text is required.</summary>
    FormatCharacter = 12,
}
