import type { UnaryHandlers } from "@velaflows/kit";
import type {
  CustomPropertiesInternalServiceService,
  CustomPropertiesServiceService,
} from "@velaflows/proto/ts/velaflows/custom_properties/v1/custom_properties";

/** The handler type of each CustomPropertiesService RPC, keyed by method. */
export type PropertiesHandlers = UnaryHandlers<typeof CustomPropertiesServiceService>;
/** The handler type of each CustomPropertiesInternalService RPC, keyed by method. */
export type InternalHandlers = UnaryHandlers<typeof CustomPropertiesInternalServiceService>;
