import {
  describeAvailabilityZones,
  describeImages,
  describeInstanceTypes,
  describeRegions,
} from "./catalog-actions.js";
import type { Ec2Action } from "./ec2-call.js";
import {
  describeInstanceStatus,
  describeInstances,
  getConsoleOutput,
  rebootInstances,
  startInstances,
  stopInstances,
  terminateInstances,
} from "./instance-actions.js";
import { deleteKeyPair, describeKeyPairs, importKeyPair } from "./key-pair-actions.js";
import { runInstances } from "./run-instances.js";
import { createTags, deleteTags, describeTags } from "./tags.js";

/** Every action the EC2 API implements (docs/ec2.md); any other answers UnsupportedOperation. */
export const EC2_ACTIONS: Readonly<Record<string, Ec2Action>> = {
  DescribeRegions: describeRegions,
  DescribeAvailabilityZones: describeAvailabilityZones,
  DescribeInstanceTypes: describeInstanceTypes,
  DescribeImages: describeImages,
  ImportKeyPair: importKeyPair,
  DescribeKeyPairs: describeKeyPairs,
  DeleteKeyPair: deleteKeyPair,
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  DescribeInstanceStatus: describeInstanceStatus,
  StartInstances: startInstances,
  StopInstances: stopInstances,
  RebootInstances: rebootInstances,
  TerminateInstances: terminateInstances,
  GetConsoleOutput: getConsoleOutput,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  DescribeTags: describeTags,
};
