using Microsoft.CodeAnalysis;

namespace TaskQueue.Analyzers;

/// <summary>
/// Whether System.Text.Json could serialize a type the job serializer rejects, given a context that declares it.
/// Types nothing can store (delegates, streams, tasks, pointers, ref structs, open generics) are never eligible:
/// suggesting a context for them would send the user down a dead end.
/// </summary>
/// <remarks>Candidate for generators/TaskQueue.Generators/Shared once the generator uses JsonSerializerContext.</remarks>
internal static class JsonContextEligibility
{
    public static bool IsEligible(ITypeSymbol type)
    {
        switch (type.TypeKind)
        {
            case TypeKind.TypeParameter:
            case TypeKind.Dynamic:
            case TypeKind.Pointer:
            case TypeKind.FunctionPointer:
            case TypeKind.Delegate:
            case TypeKind.Error:
                return false;
        }

        if (type.IsRefLikeType || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
        {
            return false;
        }

        if (type is IArrayTypeSymbol array)
        {
            return IsEligible(array.ElementType);
        }

        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        for (INamedTypeSymbol? t = named; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == "System.IO.Stream")
            {
                return false;
            }
        }

        if (named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
        {
            return false;
        }

        foreach (var argument in named.TypeArguments)
        {
            if (!IsEligible(argument))
            {
                return false;
            }
        }

        // A private type cannot be named by the user's context either.
        for (ISymbol? s = named; s is INamedTypeSymbol; s = s.ContainingSymbol)
        {
            if (s.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                return false;
            }
        }

        return true;
    }
}
