namespace Starling.Wire.Rtcp;

/// <summary>Packet status symbols of transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.1).</summary>
internal enum TransportCcStatus
{
    NotReceived = 0,

    /// <summary>Received; the receive delta is one byte (0–63.75 ms in 250 µs steps).</summary>
    SmallDelta = 1,

    /// <summary>Received; the receive delta is two bytes, signed (±8.19 s in 250 µs steps).</summary>
    LargeOrNegativeDelta = 2,
}
