namespace TaskQueue.Generators.Shared
{
    /// <summary>How a stored property's value gets back into a new instance when a payload is read.</summary>
    internal enum PayloadMemberBinding
    {
        /// <summary>A constructor parameter of the same name.</summary>
        Constructor,
        /// <summary>The object initializer: public <c>init</c>, or <c>required</c> (must be present).</summary>
        Initializer,
        /// <summary>A public <c>set</c>, assigned after construction when present.</summary>
        Setter,
        /// <summary>A private/protected/internal <c>set</c> or <c>init</c>, called through <c>[UnsafeAccessor]</c> on its declaring type.</summary>
        NonPublicSetter,
        /// <summary>A get-only auto-property: its <c>&lt;Name&gt;k__BackingField</c>, written through <c>[UnsafeAccessor]</c>.</summary>
        BackingField,
        /// <summary>No setter and no backing field (e.g. <c>Total =&gt; A + B</c>): written for readers, ignored on read.</summary>
        Computed,
    }
}
