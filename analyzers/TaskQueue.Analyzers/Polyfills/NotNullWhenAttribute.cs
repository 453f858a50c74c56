namespace System.Diagnostics.CodeAnalysis;

/// <summary>netstandard2.0 lacks this attribute; the linked JobNames.cs uses it.</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
internal sealed class NotNullWhenAttribute : Attribute
{
    public NotNullWhenAttribute(bool returnValue) => ReturnValue = returnValue;

    public bool ReturnValue { get; }
}
