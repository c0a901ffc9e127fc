namespace Starling.Transport.Sctp;

/// <summary>How a received TSN relates to what the receiver already has.</summary>
internal enum TsnStatus
{
    New,
    Duplicate,
    OutOfWindow,
}
