#if canImport(Glibc)
import Glibc
#endif

/// A C function of the running process looked up by name: glibc's GNU extensions (`renameat2`, `malloc_trim`,
/// `sched_getaffinity`) that Swift's Glibc module leaves out. Nil where the system has none by that name.
public enum SystemFunction {
    /// `name` as a function of type `F` (a `@convention(c)` type matching its C declaration), or nil.
    public static func named<F>(_ name: String, as type: F.Type) -> F? {
        #if canImport(Glibc)
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
        #else
        return nil
        #endif
    }
}
