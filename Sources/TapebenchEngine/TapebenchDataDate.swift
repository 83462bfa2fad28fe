import TapebenchCore
import TapebenchData

/// The exchange-local date of an instant.
enum TapebenchDataDate {
    static func local(_ time: Timestamp) -> CivilDate { EasternTime.local(time).date }
}
