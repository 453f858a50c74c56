// netstandard2.0 lacks this attribute; JobNames.cs (linked from the runtime) uses it.
namespace System.Diagnostics.CodeAnalysis
{
    /// <summary>Polyfill: the parameter is not null when the method returns <see cref="ReturnValue"/>.</summary>
    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    internal sealed class NotNullWhenAttribute : Attribute
    {
        /// <summary>Creates the attribute.</summary>
        public NotNullWhenAttribute(bool returnValue) => ReturnValue = returnValue;

        /// <summary>The return value for which the parameter is not null.</summary>
        public bool ReturnValue { get; }
    }
}
