namespace Starling.Rooms;

/// <summary>Size limits LiveKit enforces on names and user data.</summary>
internal static class Limits
{
    public const int MaxNameLength = 256;
    public const int MaxMetadataBytes = 512 * 1024;
    public const int MaxAttributesBytes = 64 * 1024;

    public static void CheckRoomName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw RoomException.Invalid("room name is required");
        }

        if (name.Length > MaxNameLength)
        {
            throw RoomException.Invalid($"room name is longer than {MaxNameLength} characters");
        }
    }

    public static void CheckIdentity(string identity)
    {
        if (string.IsNullOrEmpty(identity))
        {
            throw RoomException.Invalid("participant identity is required");
        }

        if (identity.Length > MaxNameLength)
        {
            throw RoomException.Invalid($"participant identity is longer than {MaxNameLength} characters");
        }
    }

    public static void CheckName(string name)
    {
        if (name.Length > MaxNameLength)
        {
            throw RoomException.Invalid($"participant name is longer than {MaxNameLength} characters");
        }
    }

    public static void CheckMetadata(string metadata)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(metadata) > MaxMetadataBytes)
        {
            throw RoomException.Invalid($"metadata is larger than {MaxMetadataBytes / 1024} KiB");
        }
    }

    public static void CheckAttributes(IEnumerable<KeyValuePair<string, string>> attributes)
    {
        var total = 0;
        foreach (var (k, v) in attributes)
        {
            total += System.Text.Encoding.UTF8.GetByteCount(k) + System.Text.Encoding.UTF8.GetByteCount(v);
        }

        if (total > MaxAttributesBytes)
        {
            throw RoomException.Invalid($"attributes are larger than {MaxAttributesBytes / 1024} KiB");
        }
    }
}
