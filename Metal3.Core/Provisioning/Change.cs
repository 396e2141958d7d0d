namespace Metal3.Core.Provisioning;

/// <summary>
/// A new value for one part of a host where null is a value too (hardware forgotten, no work under way). A
/// <see cref="HostChanges"/> member of type <c>Change&lt;T&gt;?</c> that is itself null leaves that part as it was.
/// </summary>
public readonly record struct Change<T>(T Value);
