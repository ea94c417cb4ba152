/** The appstream service model for the operations the emulator serves, extracted from botocore by extract.ts (do not edit). */
import type { ServiceModel } from '../model.js';

export const model: ServiceModel = {
 "service": "appstream",
 "protocol": "json",
 "signingName": "appstream",
 "targetPrefix": "PhotonAdminProxyService",
 "apiVersion": "2016-12-01",
 "operations": {
  "CreateFleet": {
   "method": "POST",
   "uri": "/",
   "input": "CreateFleetRequest",
   "output": "CreateFleetResult",
   "errors": [
    "ResourceAlreadyExistsException",
    "ResourceNotAvailableException",
    "ResourceNotFoundException",
    "LimitExceededException",
    "RequestLimitExceededException",
    "InvalidAccountStatusException",
    "InvalidRoleException",
    "ConcurrentModificationException",
    "InvalidParameterCombinationException",
    "IncompatibleImageException",
    "OperationNotPermittedException"
   ]
  },
  "DescribeFleets": {
   "method": "POST",
   "uri": "/",
   "input": "DescribeFleetsRequest",
   "output": "DescribeFleetsResult",
   "errors": [
    "ResourceNotFoundException"
   ]
  },
  "UpdateFleet": {
   "method": "POST",
   "uri": "/",
   "input": "UpdateFleetRequest",
   "output": "UpdateFleetResult",
   "errors": [
    "ResourceInUseException",
    "LimitExceededException",
    "RequestLimitExceededException",
    "InvalidAccountStatusException",
    "InvalidRoleException",
    "ResourceNotFoundException",
    "ResourceNotAvailableException",
    "InvalidParameterCombinationException",
    "ConcurrentModificationException",
    "IncompatibleImageException",
    "OperationNotPermittedException"
   ]
  },
  "DeleteFleet": {
   "method": "POST",
   "uri": "/",
   "input": "DeleteFleetRequest",
   "output": "DeleteFleetResult",
   "errors": [
    "ResourceInUseException",
    "ResourceNotFoundException",
    "ConcurrentModificationException"
   ]
  },
  "StartFleet": {
   "method": "POST",
   "uri": "/",
   "input": "StartFleetRequest",
   "output": "StartFleetResult",
   "errors": [
    "ResourceNotFoundException",
    "OperationNotPermittedException",
    "LimitExceededException",
    "RequestLimitExceededException",
    "InvalidAccountStatusException",
    "ConcurrentModificationException",
    "ResourceNotAvailableException",
    "InvalidRoleException"
   ]
  },
  "StopFleet": {
   "method": "POST",
   "uri": "/",
   "input": "StopFleetRequest",
   "output": "StopFleetResult",
   "errors": [
    "ResourceNotFoundException",
    "ConcurrentModificationException"
   ]
  },
  "DescribeImages": {
   "method": "POST",
   "uri": "/",
   "input": "DescribeImagesRequest",
   "output": "DescribeImagesResult",
   "errors": [
    "InvalidParameterCombinationException",
    "ResourceNotFoundException"
   ]
  },
  "DescribeSessions": {
   "method": "POST",
   "uri": "/",
   "input": "DescribeSessionsRequest",
   "output": "DescribeSessionsResult",
   "errors": [
    "InvalidParameterCombinationException"
   ]
  },
  "CreateStack": {
   "method": "POST",
   "uri": "/",
   "input": "CreateStackRequest",
   "output": "CreateStackResult",
   "errors": [
    "LimitExceededException",
    "InvalidAccountStatusException",
    "ResourceAlreadyExistsException",
    "ConcurrentModificationException",
    "InvalidRoleException",
    "ResourceNotFoundException",
    "InvalidParameterCombinationException",
    "OperationNotPermittedException"
   ]
  },
  "DescribeStacks": {
   "method": "POST",
   "uri": "/",
   "input": "DescribeStacksRequest",
   "output": "DescribeStacksResult",
   "errors": [
    "ResourceNotFoundException"
   ]
  },
  "UpdateStack": {
   "method": "POST",
   "uri": "/",
   "input": "UpdateStackRequest",
   "output": "UpdateStackResult",
   "errors": [
    "ResourceNotFoundException",
    "ResourceInUseException",
    "InvalidRoleException",
    "InvalidParameterCombinationException",
    "LimitExceededException",
    "InvalidAccountStatusException",
    "IncompatibleImageException",
    "OperationNotPermittedException",
    "ConcurrentModificationException"
   ]
  },
  "DeleteStack": {
   "method": "POST",
   "uri": "/",
   "input": "DeleteStackRequest",
   "output": "DeleteStackResult",
   "errors": [
    "ResourceInUseException",
    "ResourceNotFoundException",
    "OperationNotPermittedException",
    "ConcurrentModificationException"
   ]
  },
  "AssociateFleet": {
   "method": "POST",
   "uri": "/",
   "input": "AssociateFleetRequest",
   "output": "AssociateFleetResult",
   "errors": [
    "LimitExceededException",
    "InvalidAccountStatusException",
    "ResourceNotFoundException",
    "ConcurrentModificationException",
    "IncompatibleImageException",
    "OperationNotPermittedException"
   ]
  },
  "DisassociateFleet": {
   "method": "POST",
   "uri": "/",
   "input": "DisassociateFleetRequest",
   "output": "DisassociateFleetResult",
   "errors": [
    "ResourceInUseException",
    "ResourceNotFoundException",
    "ConcurrentModificationException",
    "OperationNotPermittedException"
   ]
  },
  "ListAssociatedStacks": {
   "method": "POST",
   "uri": "/",
   "input": "ListAssociatedStacksRequest",
   "output": "ListAssociatedStacksResult",
   "errors": []
  },
  "ListAssociatedFleets": {
   "method": "POST",
   "uri": "/",
   "input": "ListAssociatedFleetsRequest",
   "output": "ListAssociatedFleetsResult",
   "errors": []
  },
  "CreateStreamingURL": {
   "method": "POST",
   "uri": "/",
   "input": "CreateStreamingURLRequest",
   "output": "CreateStreamingURLResult",
   "errors": [
    "ResourceNotFoundException",
    "ResourceNotAvailableException",
    "OperationNotPermittedException",
    "InvalidParameterCombinationException"
   ]
  },
  "ExpireSession": {
   "method": "POST",
   "uri": "/",
   "input": "ExpireSessionRequest",
   "output": "ExpireSessionResult",
   "errors": []
  }
 },
 "shapes": {
  "AccessEndpoint": {
   "type": "structure",
   "required": [
    "EndpointType"
   ],
   "members": {
    "EndpointType": {
     "shape": "AccessEndpointType"
    },
    "VpceId": {
     "shape": "String"
    }
   }
  },
  "AccessEndpointList": {
   "type": "list",
   "min": 1,
   "max": 4,
   "member": "AccessEndpoint"
  },
  "AccessEndpointType": {
   "type": "string",
   "enum": [
    "STREAMING"
   ]
  },
  "Action": {
   "type": "string",
   "enum": [
    "CLIPBOARD_COPY_FROM_LOCAL_DEVICE",
    "CLIPBOARD_COPY_TO_LOCAL_DEVICE",
    "FILE_UPLOAD",
    "FILE_DOWNLOAD",
    "PRINTING_TO_LOCAL_DEVICE",
    "DOMAIN_PASSWORD_SIGNIN",
    "DOMAIN_SMART_CARD_SIGNIN",
    "AUTO_TIME_ZONE_REDIRECTION"
   ]
  },
  "AgentAccessConfig": {
   "type": "structure",
   "required": [
    "Settings",
    "ScreenResolution",
    "ScreenImageFormat"
   ],
   "members": {
    "Settings": {
     "shape": "AgentAccessSettingList"
    },
    "S3BucketArn": {
     "shape": "S3BucketArn"
    },
    "ScreenshotsUploadEnabled": {
     "shape": "BooleanObject"
    },
    "ScreenResolution": {
     "shape": "ScreenResolution"
    },
    "ScreenImageFormat": {
     "shape": "ScreenImageFormat"
    }
   }
  },
  "AgentAccessConfigForUpdate": {
   "type": "structure",
   "members": {
    "Settings": {
     "shape": "AgentAccessSettingList"
    },
    "S3BucketArn": {
     "shape": "S3BucketArn"
    },
    "ScreenshotsUploadEnabled": {
     "shape": "BooleanObject"
    },
    "ScreenResolution": {
     "shape": "ScreenResolution"
    },
    "ScreenImageFormat": {
     "shape": "ScreenImageFormat"
    }
   }
  },
  "AgentAccessSetting": {
   "type": "structure",
   "required": [
    "AgentAction",
    "Permission"
   ],
   "members": {
    "AgentAction": {
     "shape": "AgentAction"
    },
    "Permission": {
     "shape": "Permission"
    }
   }
  },
  "AgentAccessSettingList": {
   "type": "list",
   "min": 1,
   "member": "AgentAccessSetting"
  },
  "AgentAction": {
   "type": "string",
   "enum": [
    "COMPUTER_VISION",
    "COMPUTER_INPUT"
   ]
  },
  "Application": {
   "type": "structure",
   "members": {
    "Name": {
     "shape": "String"
    },
    "DisplayName": {
     "shape": "String"
    },
    "IconURL": {
     "shape": "String"
    },
    "LaunchPath": {
     "shape": "String"
    },
    "LaunchParameters": {
     "shape": "String"
    },
    "Enabled": {
     "shape": "Boolean"
    },
    "Metadata": {
     "shape": "Metadata"
    },
    "WorkingDirectory": {
     "shape": "String"
    },
    "Description": {
     "shape": "String"
    },
    "Arn": {
     "shape": "Arn"
    },
    "AppBlockArn": {
     "shape": "Arn"
    },
    "IconS3Location": {
     "shape": "S3Location"
    },
    "Platforms": {
     "shape": "Platforms"
    },
    "InstanceFamilies": {
     "shape": "StringList"
    },
    "CreatedTime": {
     "shape": "Timestamp"
    }
   }
  },
  "ApplicationSettings": {
   "type": "structure",
   "required": [
    "Enabled"
   ],
   "members": {
    "Enabled": {
     "shape": "Boolean"
    },
    "SettingsGroup": {
     "shape": "SettingsGroup"
    }
   }
  },
  "ApplicationSettingsResponse": {
   "type": "structure",
   "members": {
    "Enabled": {
     "shape": "Boolean"
    },
    "SettingsGroup": {
     "shape": "SettingsGroup"
    },
    "S3BucketName": {
     "shape": "String"
    }
   }
  },
  "Applications": {
   "type": "list",
   "member": "Application"
  },
  "AppstreamAgentVersion": {
   "type": "string",
   "min": 1,
   "max": 100
  },
  "Arn": {
   "type": "string",
   "pattern": "^arn:aws(?:\\-cn|\\-iso\\-b|\\-iso|\\-us\\-gov)?:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9][A-Za-z0-9:_/+=,@.\\\\-]{0,1023}$"
  },
  "ArnList": {
   "type": "list",
   "member": "Arn"
  },
  "AssociateFleetRequest": {
   "type": "structure",
   "required": [
    "FleetName",
    "StackName"
   ],
   "members": {
    "FleetName": {
     "shape": "String"
    },
    "StackName": {
     "shape": "String"
    }
   }
  },
  "AssociateFleetResult": {
   "type": "structure",
   "members": {}
  },
  "AuthenticationType": {
   "type": "string",
   "enum": [
    "API",
    "SAML",
    "USERPOOL",
    "AWS_AD"
   ]
  },
  "Boolean": {
   "type": "boolean"
  },
  "BooleanObject": {
   "type": "boolean"
  },
  "ComputeCapacity": {
   "type": "structure",
   "members": {
    "DesiredInstances": {
     "shape": "Integer"
    },
    "DesiredSessions": {
     "shape": "Integer"
    }
   }
  },
  "ComputeCapacityStatus": {
   "type": "structure",
   "required": [
    "Desired"
   ],
   "members": {
    "Desired": {
     "shape": "Integer"
    },
    "Running": {
     "shape": "Integer"
    },
    "InUse": {
     "shape": "Integer"
    },
    "Available": {
     "shape": "Integer"
    },
    "DesiredUserSessions": {
     "shape": "Integer"
    },
    "AvailableUserSessions": {
     "shape": "Integer"
    },
    "ActiveUserSessions": {
     "shape": "Integer"
    },
    "ActualUserSessions": {
     "shape": "Integer"
    },
    "Draining": {
     "shape": "Integer"
    },
    "DrainModeActiveUserSessions": {
     "shape": "Integer"
    },
    "DrainModeUnusedUserSessions": {
     "shape": "Integer"
    }
   }
  },
  "ConcurrentModificationException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "ContentRedirection": {
   "type": "structure",
   "members": {
    "HostToClient": {
     "shape": "UrlRedirectionConfig"
    }
   }
  },
  "CreateFleetRequest": {
   "type": "structure",
   "required": [
    "Name",
    "InstanceType"
   ],
   "members": {
    "Name": {
     "shape": "Name"
    },
    "ImageName": {
     "shape": "Name"
    },
    "ImageArn": {
     "shape": "Arn"
    },
    "InstanceType": {
     "shape": "String"
    },
    "FleetType": {
     "shape": "FleetType"
    },
    "ComputeCapacity": {
     "shape": "ComputeCapacity"
    },
    "VpcConfig": {
     "shape": "VpcConfig"
    },
    "MaxUserDurationInSeconds": {
     "shape": "Integer"
    },
    "DisconnectTimeoutInSeconds": {
     "shape": "Integer"
    },
    "Description": {
     "shape": "Description"
    },
    "DisplayName": {
     "shape": "DisplayName"
    },
    "EnableDefaultInternetAccess": {
     "shape": "BooleanObject"
    },
    "DomainJoinInfo": {
     "shape": "DomainJoinInfo"
    },
    "Tags": {
     "shape": "Tags"
    },
    "IdleDisconnectTimeoutInSeconds": {
     "shape": "Integer"
    },
    "IamRoleArn": {
     "shape": "Arn"
    },
    "StreamView": {
     "shape": "StreamView"
    },
    "Platform": {
     "shape": "PlatformType"
    },
    "MaxConcurrentSessions": {
     "shape": "Integer"
    },
    "UsbDeviceFilterStrings": {
     "shape": "UsbDeviceFilterStrings"
    },
    "SessionScriptS3Location": {
     "shape": "S3Location"
    },
    "MaxSessionsPerInstance": {
     "shape": "Integer"
    },
    "RootVolumeConfig": {
     "shape": "VolumeConfig"
    },
    "DisableIMDSV1": {
     "shape": "BooleanObject"
    }
   }
  },
  "CreateFleetResult": {
   "type": "structure",
   "members": {
    "Fleet": {
     "shape": "Fleet"
    }
   }
  },
  "CreateStackRequest": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "Name": {
     "shape": "Name"
    },
    "Description": {
     "shape": "Description"
    },
    "DisplayName": {
     "shape": "DisplayName"
    },
    "StorageConnectors": {
     "shape": "StorageConnectorList"
    },
    "RedirectURL": {
     "shape": "RedirectURL"
    },
    "FeedbackURL": {
     "shape": "FeedbackURL"
    },
    "UserSettings": {
     "shape": "UserSettingList"
    },
    "ApplicationSettings": {
     "shape": "ApplicationSettings"
    },
    "Tags": {
     "shape": "Tags"
    },
    "AccessEndpoints": {
     "shape": "AccessEndpointList"
    },
    "EmbedHostDomains": {
     "shape": "EmbedHostDomains"
    },
    "StreamingExperienceSettings": {
     "shape": "StreamingExperienceSettings"
    },
    "ContentRedirection": {
     "shape": "ContentRedirection"
    },
    "AgentAccessConfig": {
     "shape": "AgentAccessConfig"
    }
   }
  },
  "CreateStackResult": {
   "type": "structure",
   "members": {
    "Stack": {
     "shape": "Stack"
    }
   }
  },
  "CreateStreamingURLRequest": {
   "type": "structure",
   "required": [
    "StackName",
    "FleetName",
    "UserId"
   ],
   "members": {
    "StackName": {
     "shape": "String"
    },
    "FleetName": {
     "shape": "String"
    },
    "UserId": {
     "shape": "StreamingUrlUserId"
    },
    "ApplicationId": {
     "shape": "String"
    },
    "Validity": {
     "shape": "Long"
    },
    "SessionContext": {
     "shape": "String"
    }
   }
  },
  "CreateStreamingURLResult": {
   "type": "structure",
   "members": {
    "StreamingURL": {
     "shape": "String"
    },
    "Expires": {
     "shape": "Timestamp"
    }
   }
  },
  "DeleteFleetRequest": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "Name": {
     "shape": "String"
    }
   }
  },
  "DeleteFleetResult": {
   "type": "structure",
   "members": {}
  },
  "DeleteStackRequest": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "Name": {
     "shape": "String"
    }
   }
  },
  "DeleteStackResult": {
   "type": "structure",
   "members": {}
  },
  "DescribeFleetsRequest": {
   "type": "structure",
   "members": {
    "Names": {
     "shape": "StringList"
    },
    "NextToken": {
     "shape": "String"
    }
   }
  },
  "DescribeFleetsResult": {
   "type": "structure",
   "members": {
    "Fleets": {
     "shape": "FleetList"
    },
    "NextToken": {
     "shape": "String"
    }
   }
  },
  "DescribeImagesMaxResults": {
   "type": "integer",
   "min": 0,
   "max": 25
  },
  "DescribeImagesRequest": {
   "type": "structure",
   "members": {
    "Names": {
     "shape": "StringList"
    },
    "Arns": {
     "shape": "ArnList"
    },
    "Type": {
     "shape": "VisibilityType"
    },
    "NextToken": {
     "shape": "String"
    },
    "MaxResults": {
     "shape": "DescribeImagesMaxResults"
    }
   }
  },
  "DescribeImagesResult": {
   "type": "structure",
   "members": {
    "Images": {
     "shape": "ImageList"
    },
    "NextToken": {
     "shape": "String"
    }
   }
  },
  "DescribeSessionsRequest": {
   "type": "structure",
   "required": [
    "StackName",
    "FleetName"
   ],
   "members": {
    "StackName": {
     "shape": "Name"
    },
    "FleetName": {
     "shape": "Name"
    },
    "UserId": {
     "shape": "UserId"
    },
    "NextToken": {
     "shape": "String"
    },
    "Limit": {
     "shape": "Integer"
    },
    "AuthenticationType": {
     "shape": "AuthenticationType"
    },
    "InstanceId": {
     "shape": "String"
    }
   }
  },
  "DescribeSessionsResult": {
   "type": "structure",
   "members": {
    "Sessions": {
     "shape": "SessionList"
    },
    "NextToken": {
     "shape": "String"
    }
   }
  },
  "DescribeStacksRequest": {
   "type": "structure",
   "members": {
    "Names": {
     "shape": "StringList"
    },
    "NextToken": {
     "shape": "String"
    }
   }
  },
  "DescribeStacksResult": {
   "type": "structure",
   "members": {
    "Stacks": {
     "shape": "StackList"
    },
    "NextToken": {
     "shape": "String"
    }
   }
  },
  "Description": {
   "type": "string",
   "max": 256
  },
  "DirectoryName": {
   "type": "string"
  },
  "DisassociateFleetRequest": {
   "type": "structure",
   "required": [
    "FleetName",
    "StackName"
   ],
   "members": {
    "FleetName": {
     "shape": "String"
    },
    "StackName": {
     "shape": "String"
    }
   }
  },
  "DisassociateFleetResult": {
   "type": "structure",
   "members": {}
  },
  "DisplayName": {
   "type": "string",
   "max": 100
  },
  "Domain": {
   "type": "string",
   "min": 1,
   "max": 64
  },
  "DomainJoinInfo": {
   "type": "structure",
   "members": {
    "DirectoryName": {
     "shape": "DirectoryName"
    },
    "OrganizationalUnitDistinguishedName": {
     "shape": "OrganizationalUnitDistinguishedName"
    }
   }
  },
  "DomainList": {
   "type": "list",
   "max": 50,
   "member": "Domain"
  },
  "DynamicAppProvidersEnabled": {
   "type": "string",
   "enum": [
    "ENABLED",
    "DISABLED"
   ]
  },
  "EmbedHostDomain": {
   "type": "string",
   "max": 128,
   "pattern": "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9][a-z0-9-]{0,61}[a-z0-9]"
  },
  "EmbedHostDomains": {
   "type": "list",
   "min": 1,
   "max": 20,
   "member": "EmbedHostDomain"
  },
  "ErrorMessage": {
   "type": "string"
  },
  "ExpireSessionRequest": {
   "type": "structure",
   "required": [
    "SessionId"
   ],
   "members": {
    "SessionId": {
     "shape": "String"
    }
   }
  },
  "ExpireSessionResult": {
   "type": "structure",
   "members": {}
  },
  "FeedbackURL": {
   "type": "string",
   "max": 1000
  },
  "Fleet": {
   "type": "structure",
   "required": [
    "Arn",
    "Name",
    "InstanceType",
    "ComputeCapacityStatus",
    "State"
   ],
   "members": {
    "Arn": {
     "shape": "Arn"
    },
    "Name": {
     "shape": "String"
    },
    "DisplayName": {
     "shape": "String"
    },
    "Description": {
     "shape": "String"
    },
    "ImageName": {
     "shape": "String"
    },
    "ImageArn": {
     "shape": "Arn"
    },
    "InstanceType": {
     "shape": "String"
    },
    "FleetType": {
     "shape": "FleetType"
    },
    "ComputeCapacityStatus": {
     "shape": "ComputeCapacityStatus"
    },
    "MaxUserDurationInSeconds": {
     "shape": "Integer"
    },
    "DisconnectTimeoutInSeconds": {
     "shape": "Integer"
    },
    "State": {
     "shape": "FleetState"
    },
    "VpcConfig": {
     "shape": "VpcConfig"
    },
    "CreatedTime": {
     "shape": "Timestamp"
    },
    "FleetErrors": {
     "shape": "FleetErrors"
    },
    "EnableDefaultInternetAccess": {
     "shape": "BooleanObject"
    },
    "DomainJoinInfo": {
     "shape": "DomainJoinInfo"
    },
    "IdleDisconnectTimeoutInSeconds": {
     "shape": "Integer"
    },
    "IamRoleArn": {
     "shape": "Arn"
    },
    "StreamView": {
     "shape": "StreamView"
    },
    "Platform": {
     "shape": "PlatformType"
    },
    "MaxConcurrentSessions": {
     "shape": "Integer"
    },
    "UsbDeviceFilterStrings": {
     "shape": "UsbDeviceFilterStrings"
    },
    "SessionScriptS3Location": {
     "shape": "S3Location"
    },
    "MaxSessionsPerInstance": {
     "shape": "Integer"
    },
    "RootVolumeConfig": {
     "shape": "VolumeConfig"
    },
    "DisableIMDSV1": {
     "shape": "BooleanObject"
    }
   }
  },
  "FleetAttribute": {
   "type": "string",
   "enum": [
    "VPC_CONFIGURATION",
    "VPC_CONFIGURATION_SECURITY_GROUP_IDS",
    "DOMAIN_JOIN_INFO",
    "IAM_ROLE_ARN",
    "USB_DEVICE_FILTER_STRINGS",
    "SESSION_SCRIPT_S3_LOCATION",
    "MAX_SESSIONS_PER_INSTANCE",
    "VOLUME_CONFIGURATION"
   ]
  },
  "FleetAttributes": {
   "type": "list",
   "member": "FleetAttribute"
  },
  "FleetError": {
   "type": "structure",
   "members": {
    "ErrorCode": {
     "shape": "FleetErrorCode"
    },
    "ErrorMessage": {
     "shape": "String"
    }
   }
  },
  "FleetErrorCode": {
   "type": "string",
   "enum": [
    "IAM_SERVICE_ROLE_MISSING_ENI_DESCRIBE_ACTION",
    "IAM_SERVICE_ROLE_MISSING_ENI_CREATE_ACTION",
    "IAM_SERVICE_ROLE_MISSING_ENI_DELETE_ACTION",
    "NETWORK_INTERFACE_LIMIT_EXCEEDED",
    "INTERNAL_SERVICE_ERROR",
    "IAM_SERVICE_ROLE_IS_MISSING",
    "MACHINE_ROLE_IS_MISSING",
    "STS_DISABLED_IN_REGION",
    "SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES",
    "IAM_SERVICE_ROLE_MISSING_DESCRIBE_SUBNET_ACTION",
    "SUBNET_NOT_FOUND",
    "IMAGE_NOT_FOUND",
    "INVALID_SUBNET_CONFIGURATION",
    "SECURITY_GROUPS_NOT_FOUND",
    "IGW_NOT_ATTACHED",
    "IAM_SERVICE_ROLE_MISSING_DESCRIBE_SECURITY_GROUPS_ACTION",
    "FLEET_STOPPED",
    "FLEET_INSTANCE_PROVISIONING_FAILURE",
    "DOMAIN_JOIN_ERROR_FILE_NOT_FOUND",
    "DOMAIN_JOIN_ERROR_ACCESS_DENIED",
    "DOMAIN_JOIN_ERROR_LOGON_FAILURE",
    "DOMAIN_JOIN_ERROR_INVALID_PARAMETER",
    "DOMAIN_JOIN_ERROR_MORE_DATA",
    "DOMAIN_JOIN_ERROR_NO_SUCH_DOMAIN",
    "DOMAIN_JOIN_ERROR_NOT_SUPPORTED",
    "DOMAIN_JOIN_NERR_INVALID_WORKGROUP_NAME",
    "DOMAIN_JOIN_NERR_WORKSTATION_NOT_STARTED",
    "DOMAIN_JOIN_ERROR_DS_MACHINE_ACCOUNT_QUOTA_EXCEEDED",
    "DOMAIN_JOIN_NERR_PASSWORD_EXPIRED",
    "DOMAIN_JOIN_INTERNAL_SERVICE_ERROR",
    "VALIDATION_ERROR"
   ]
  },
  "FleetErrors": {
   "type": "list",
   "member": "FleetError"
  },
  "FleetList": {
   "type": "list",
   "member": "Fleet"
  },
  "FleetState": {
   "type": "string",
   "enum": [
    "STARTING",
    "RUNNING",
    "STOPPING",
    "STOPPED"
   ]
  },
  "FleetType": {
   "type": "string",
   "enum": [
    "ALWAYS_ON",
    "ON_DEMAND",
    "ELASTIC"
   ]
  },
  "Image": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "Name": {
     "shape": "String"
    },
    "Arn": {
     "shape": "Arn"
    },
    "BaseImageArn": {
     "shape": "Arn"
    },
    "DisplayName": {
     "shape": "String"
    },
    "State": {
     "shape": "ImageState"
    },
    "Visibility": {
     "shape": "VisibilityType"
    },
    "ImageBuilderSupported": {
     "shape": "Boolean"
    },
    "ImageBuilderName": {
     "shape": "String"
    },
    "Platform": {
     "shape": "PlatformType"
    },
    "Description": {
     "shape": "String"
    },
    "StateChangeReason": {
     "shape": "ImageStateChangeReason"
    },
    "Applications": {
     "shape": "Applications"
    },
    "CreatedTime": {
     "shape": "Timestamp"
    },
    "PublicBaseImageReleasedDate": {
     "shape": "Timestamp"
    },
    "AppstreamAgentVersion": {
     "shape": "AppstreamAgentVersion"
    },
    "ImagePermissions": {
     "shape": "ImagePermissions"
    },
    "ImageErrors": {
     "shape": "ResourceErrors"
    },
    "LatestAppstreamAgentVersion": {
     "shape": "LatestAppstreamAgentVersion"
    },
    "SupportedInstanceFamilies": {
     "shape": "StringList"
    },
    "DynamicAppProvidersEnabled": {
     "shape": "DynamicAppProvidersEnabled"
    },
    "ImageSharedWithOthers": {
     "shape": "ImageSharedWithOthers"
    },
    "ManagedSoftwareIncluded": {
     "shape": "Boolean"
    },
    "ImageType": {
     "shape": "ImageType"
    }
   }
  },
  "ImageList": {
   "type": "list",
   "member": "Image"
  },
  "ImagePermissions": {
   "type": "structure",
   "members": {
    "allowFleet": {
     "shape": "BooleanObject"
    },
    "allowImageBuilder": {
     "shape": "BooleanObject"
    }
   }
  },
  "ImageSharedWithOthers": {
   "type": "string",
   "enum": [
    "TRUE",
    "FALSE"
   ]
  },
  "ImageState": {
   "type": "string",
   "enum": [
    "PENDING",
    "AVAILABLE",
    "FAILED",
    "COPYING",
    "DELETING",
    "CREATING",
    "IMPORTING",
    "VALIDATING"
   ]
  },
  "ImageStateChangeReason": {
   "type": "structure",
   "members": {
    "Code": {
     "shape": "ImageStateChangeReasonCode"
    },
    "Message": {
     "shape": "String"
    }
   }
  },
  "ImageStateChangeReasonCode": {
   "type": "string",
   "enum": [
    "INTERNAL_ERROR",
    "IMAGE_BUILDER_NOT_AVAILABLE",
    "IMAGE_COPY_FAILURE",
    "IMAGE_UPDATE_FAILURE",
    "IMAGE_IMPORT_FAILURE"
   ]
  },
  "ImageType": {
   "type": "string",
   "enum": [
    "CUSTOM",
    "NATIVE"
   ]
  },
  "IncompatibleImageException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "InstanceDrainStatus": {
   "type": "string",
   "enum": [
    "ACTIVE",
    "DRAINING",
    "NOT_APPLICABLE"
   ]
  },
  "Integer": {
   "type": "integer"
  },
  "InvalidAccountStatusException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "InvalidParameterCombinationException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "InvalidRoleException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "LatestAppstreamAgentVersion": {
   "type": "string",
   "enum": [
    "TRUE",
    "FALSE"
   ]
  },
  "LimitExceededException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "ListAssociatedFleetsRequest": {
   "type": "structure",
   "required": [
    "StackName"
   ],
   "members": {
    "StackName": {
     "shape": "String"
    },
    "NextToken": {
     "shape": "String"
    }
   }
  },
  "ListAssociatedFleetsResult": {
   "type": "structure",
   "members": {
    "Names": {
     "shape": "StringList"
    },
    "NextToken": {
     "shape": "String"
    }
   }
  },
  "ListAssociatedStacksRequest": {
   "type": "structure",
   "required": [
    "FleetName"
   ],
   "members": {
    "FleetName": {
     "shape": "String"
    },
    "NextToken": {
     "shape": "String"
    }
   }
  },
  "ListAssociatedStacksResult": {
   "type": "structure",
   "members": {
    "Names": {
     "shape": "StringList"
    },
    "NextToken": {
     "shape": "String"
    }
   }
  },
  "Long": {
   "type": "long"
  },
  "Metadata": {
   "type": "map",
   "key": "String",
   "value": "String"
  },
  "Name": {
   "type": "string",
   "pattern": "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,100}$"
  },
  "NetworkAccessConfiguration": {
   "type": "structure",
   "members": {
    "EniPrivateIpAddress": {
     "shape": "String"
    },
    "EniIpv6Addresses": {
     "shape": "StringList"
    },
    "EniId": {
     "shape": "String"
    }
   }
  },
  "OperationNotPermittedException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "OrganizationalUnitDistinguishedName": {
   "type": "string",
   "max": 2000
  },
  "Permission": {
   "type": "string",
   "enum": [
    "ENABLED",
    "DISABLED"
   ]
  },
  "PlatformType": {
   "type": "string",
   "enum": [
    "WINDOWS",
    "WINDOWS_SERVER_2016",
    "WINDOWS_SERVER_2019",
    "WINDOWS_SERVER_2022",
    "WINDOWS_SERVER_2025",
    "AMAZON_LINUX2",
    "RHEL8",
    "ROCKY_LINUX8",
    "UBUNTU_PRO_2404"
   ]
  },
  "Platforms": {
   "type": "list",
   "max": 4,
   "member": "PlatformType"
  },
  "PreferredProtocol": {
   "type": "string",
   "enum": [
    "TCP",
    "UDP"
   ]
  },
  "RedirectURL": {
   "type": "string",
   "max": 1000
  },
  "RequestLimitExceededException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "ResourceAlreadyExistsException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "ResourceError": {
   "type": "structure",
   "members": {
    "ErrorCode": {
     "shape": "FleetErrorCode"
    },
    "ErrorMessage": {
     "shape": "String"
    },
    "ErrorTimestamp": {
     "shape": "Timestamp"
    }
   }
  },
  "ResourceErrors": {
   "type": "list",
   "member": "ResourceError"
  },
  "ResourceIdentifier": {
   "type": "string",
   "min": 1,
   "max": 2048
  },
  "ResourceInUseException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "ResourceNotAvailableException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "ResourceNotFoundException": {
   "type": "structure",
   "exception": true,
   "members": {
    "Message": {
     "shape": "ErrorMessage"
    }
   }
  },
  "S3Bucket": {
   "type": "string",
   "min": 3,
   "max": 63,
   "pattern": "^[0-9a-z\\.\\-]*(?<!\\.)$"
  },
  "S3BucketArn": {
   "type": "string",
   "pattern": "^arn:aws(?:\\-cn|\\-iso\\-b|\\-iso|\\-us\\-gov)?:s3:::[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]$"
  },
  "S3Key": {
   "type": "string",
   "min": 1,
   "max": 1024
  },
  "S3Location": {
   "type": "structure",
   "required": [
    "S3Bucket"
   ],
   "members": {
    "S3Bucket": {
     "shape": "S3Bucket"
    },
    "S3Key": {
     "shape": "S3Key"
    }
   }
  },
  "ScreenImageFormat": {
   "type": "string",
   "enum": [
    "PNG",
    "JPEG"
   ]
  },
  "ScreenResolution": {
   "type": "string",
   "enum": [
    "W_1280xH_720"
   ]
  },
  "SecurityGroupIdList": {
   "type": "list",
   "max": 5,
   "member": "String"
  },
  "Session": {
   "type": "structure",
   "required": [
    "Id",
    "UserId",
    "StackName",
    "FleetName",
    "State"
   ],
   "members": {
    "Id": {
     "shape": "String"
    },
    "UserId": {
     "shape": "UserId"
    },
    "StackName": {
     "shape": "String"
    },
    "FleetName": {
     "shape": "String"
    },
    "State": {
     "shape": "SessionState"
    },
    "ConnectionState": {
     "shape": "SessionConnectionState"
    },
    "StartTime": {
     "shape": "Timestamp"
    },
    "MaxExpirationTime": {
     "shape": "Timestamp"
    },
    "AuthenticationType": {
     "shape": "AuthenticationType"
    },
    "NetworkAccessConfiguration": {
     "shape": "NetworkAccessConfiguration"
    },
    "InstanceId": {
     "shape": "String"
    },
    "InstanceDrainStatus": {
     "shape": "InstanceDrainStatus"
    }
   }
  },
  "SessionConnectionState": {
   "type": "string",
   "enum": [
    "CONNECTED",
    "NOT_CONNECTED"
   ]
  },
  "SessionList": {
   "type": "list",
   "member": "Session"
  },
  "SessionState": {
   "type": "string",
   "enum": [
    "ACTIVE",
    "PENDING",
    "EXPIRED"
   ]
  },
  "SettingsGroup": {
   "type": "string",
   "max": 100
  },
  "Stack": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "Arn": {
     "shape": "Arn"
    },
    "Name": {
     "shape": "String"
    },
    "Description": {
     "shape": "String"
    },
    "DisplayName": {
     "shape": "String"
    },
    "CreatedTime": {
     "shape": "Timestamp"
    },
    "StorageConnectors": {
     "shape": "StorageConnectorList"
    },
    "RedirectURL": {
     "shape": "RedirectURL"
    },
    "FeedbackURL": {
     "shape": "FeedbackURL"
    },
    "StackErrors": {
     "shape": "StackErrors"
    },
    "UserSettings": {
     "shape": "UserSettingList"
    },
    "ApplicationSettings": {
     "shape": "ApplicationSettingsResponse"
    },
    "AccessEndpoints": {
     "shape": "AccessEndpointList"
    },
    "EmbedHostDomains": {
     "shape": "EmbedHostDomains"
    },
    "StreamingExperienceSettings": {
     "shape": "StreamingExperienceSettings"
    },
    "ContentRedirection": {
     "shape": "ContentRedirection"
    },
    "AgentAccessConfig": {
     "shape": "AgentAccessConfig"
    }
   }
  },
  "StackAttribute": {
   "type": "string",
   "enum": [
    "STORAGE_CONNECTORS",
    "STORAGE_CONNECTOR_HOMEFOLDERS",
    "STORAGE_CONNECTOR_GOOGLE_DRIVE",
    "STORAGE_CONNECTOR_ONE_DRIVE",
    "REDIRECT_URL",
    "FEEDBACK_URL",
    "THEME_NAME",
    "USER_SETTINGS",
    "EMBED_HOST_DOMAINS",
    "IAM_ROLE_ARN",
    "ACCESS_ENDPOINTS",
    "STREAMING_EXPERIENCE_SETTINGS",
    "CONTENT_REDIRECTION",
    "AGENT_ACCESS_CONFIG"
   ]
  },
  "StackAttributes": {
   "type": "list",
   "member": "StackAttribute"
  },
  "StackError": {
   "type": "structure",
   "members": {
    "ErrorCode": {
     "shape": "StackErrorCode"
    },
    "ErrorMessage": {
     "shape": "String"
    }
   }
  },
  "StackErrorCode": {
   "type": "string",
   "enum": [
    "STORAGE_CONNECTOR_ERROR",
    "INTERNAL_SERVICE_ERROR"
   ]
  },
  "StackErrors": {
   "type": "list",
   "member": "StackError"
  },
  "StackList": {
   "type": "list",
   "member": "Stack"
  },
  "StartFleetRequest": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "Name": {
     "shape": "String"
    }
   }
  },
  "StartFleetResult": {
   "type": "structure",
   "members": {}
  },
  "StopFleetRequest": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "Name": {
     "shape": "String"
    }
   }
  },
  "StopFleetResult": {
   "type": "structure",
   "members": {}
  },
  "StorageConnector": {
   "type": "structure",
   "required": [
    "ConnectorType"
   ],
   "members": {
    "ConnectorType": {
     "shape": "StorageConnectorType"
    },
    "ResourceIdentifier": {
     "shape": "ResourceIdentifier"
    },
    "Domains": {
     "shape": "DomainList"
    },
    "DomainsRequireAdminConsent": {
     "shape": "DomainList"
    }
   }
  },
  "StorageConnectorList": {
   "type": "list",
   "member": "StorageConnector"
  },
  "StorageConnectorType": {
   "type": "string",
   "enum": [
    "HOMEFOLDERS",
    "GOOGLE_DRIVE",
    "ONE_DRIVE"
   ]
  },
  "StreamView": {
   "type": "string",
   "enum": [
    "APP",
    "DESKTOP"
   ]
  },
  "StreamingExperienceSettings": {
   "type": "structure",
   "members": {
    "PreferredProtocol": {
     "shape": "PreferredProtocol"
    }
   }
  },
  "StreamingUrlUserId": {
   "type": "string",
   "min": 2,
   "max": 32,
   "pattern": "[\\w+=,.@-]*"
  },
  "String": {
   "type": "string",
   "min": 1
  },
  "StringList": {
   "type": "list",
   "member": "String"
  },
  "SubnetIdList": {
   "type": "list",
   "member": "String"
  },
  "TagKey": {
   "type": "string",
   "min": 1,
   "max": 128,
   "pattern": "^(^(?!aws:).[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$"
  },
  "TagValue": {
   "type": "string",
   "min": 0,
   "max": 256,
   "pattern": "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$"
  },
  "Tags": {
   "type": "map",
   "min": 1,
   "max": 50,
   "key": "TagKey",
   "value": "TagValue"
  },
  "Timestamp": {
   "type": "timestamp"
  },
  "UpdateFleetRequest": {
   "type": "structure",
   "members": {
    "ImageName": {
     "shape": "String"
    },
    "ImageArn": {
     "shape": "Arn"
    },
    "Name": {
     "shape": "Name"
    },
    "InstanceType": {
     "shape": "String"
    },
    "ComputeCapacity": {
     "shape": "ComputeCapacity"
    },
    "VpcConfig": {
     "shape": "VpcConfig"
    },
    "MaxUserDurationInSeconds": {
     "shape": "Integer"
    },
    "DisconnectTimeoutInSeconds": {
     "shape": "Integer"
    },
    "DeleteVpcConfig": {
     "shape": "Boolean"
    },
    "Description": {
     "shape": "Description"
    },
    "DisplayName": {
     "shape": "DisplayName"
    },
    "EnableDefaultInternetAccess": {
     "shape": "BooleanObject"
    },
    "DomainJoinInfo": {
     "shape": "DomainJoinInfo"
    },
    "IdleDisconnectTimeoutInSeconds": {
     "shape": "Integer"
    },
    "AttributesToDelete": {
     "shape": "FleetAttributes"
    },
    "IamRoleArn": {
     "shape": "Arn"
    },
    "StreamView": {
     "shape": "StreamView"
    },
    "Platform": {
     "shape": "PlatformType"
    },
    "MaxConcurrentSessions": {
     "shape": "Integer"
    },
    "UsbDeviceFilterStrings": {
     "shape": "UsbDeviceFilterStrings"
    },
    "SessionScriptS3Location": {
     "shape": "S3Location"
    },
    "MaxSessionsPerInstance": {
     "shape": "Integer"
    },
    "RootVolumeConfig": {
     "shape": "VolumeConfig"
    },
    "DisableIMDSV1": {
     "shape": "BooleanObject"
    }
   }
  },
  "UpdateFleetResult": {
   "type": "structure",
   "members": {
    "Fleet": {
     "shape": "Fleet"
    }
   }
  },
  "UpdateStackRequest": {
   "type": "structure",
   "required": [
    "Name"
   ],
   "members": {
    "DisplayName": {
     "shape": "DisplayName"
    },
    "Description": {
     "shape": "Description"
    },
    "Name": {
     "shape": "String"
    },
    "StorageConnectors": {
     "shape": "StorageConnectorList"
    },
    "DeleteStorageConnectors": {
     "shape": "Boolean"
    },
    "RedirectURL": {
     "shape": "RedirectURL"
    },
    "FeedbackURL": {
     "shape": "FeedbackURL"
    },
    "AttributesToDelete": {
     "shape": "StackAttributes"
    },
    "UserSettings": {
     "shape": "UserSettingList"
    },
    "ApplicationSettings": {
     "shape": "ApplicationSettings"
    },
    "AccessEndpoints": {
     "shape": "AccessEndpointList"
    },
    "EmbedHostDomains": {
     "shape": "EmbedHostDomains"
    },
    "StreamingExperienceSettings": {
     "shape": "StreamingExperienceSettings"
    },
    "ContentRedirection": {
     "shape": "ContentRedirection"
    },
    "AgentAccessConfig": {
     "shape": "AgentAccessConfigForUpdate"
    }
   }
  },
  "UpdateStackResult": {
   "type": "structure",
   "members": {
    "Stack": {
     "shape": "Stack"
    }
   }
  },
  "UrlPattern": {
   "type": "string",
   "min": 1,
   "max": 2048,
   "pattern": "^(\\*|https?://[^\\s,;]+)$"
  },
  "UrlPatternList": {
   "type": "list",
   "min": 0,
   "max": 100,
   "member": "UrlPattern"
  },
  "UrlRedirectionConfig": {
   "type": "structure",
   "required": [
    "Enabled"
   ],
   "members": {
    "Enabled": {
     "shape": "BooleanObject"
    },
    "AllowedUrls": {
     "shape": "UrlPatternList"
    },
    "DeniedUrls": {
     "shape": "UrlPatternList"
    }
   }
  },
  "UsbDeviceFilterString": {
   "type": "string",
   "min": 0,
   "max": 100,
   "pattern": "^((\\w*)\\s*(\\w*)\\s*\\,\\s*(\\w*)\\s*\\,\\s*\\*?(\\w*)\\s*\\,\\s*\\*?(\\w*)\\s*\\,\\s*\\*?\\d*\\s*\\,\\s*\\*?\\d*\\s*\\,\\s*[0-1]\\s*\\,\\s*[0-1]\\s*)$"
  },
  "UsbDeviceFilterStrings": {
   "type": "list",
   "member": "UsbDeviceFilterString"
  },
  "UserId": {
   "type": "string",
   "min": 2,
   "max": 128
  },
  "UserSetting": {
   "type": "structure",
   "required": [
    "Action",
    "Permission"
   ],
   "members": {
    "Action": {
     "shape": "Action"
    },
    "Permission": {
     "shape": "Permission"
    },
    "MaximumLength": {
     "shape": "Integer"
    }
   }
  },
  "UserSettingList": {
   "type": "list",
   "min": 1,
   "member": "UserSetting"
  },
  "VisibilityType": {
   "type": "string",
   "enum": [
    "PUBLIC",
    "PRIVATE",
    "SHARED"
   ]
  },
  "VolumeConfig": {
   "type": "structure",
   "members": {
    "VolumeSizeInGb": {
     "shape": "Integer"
    }
   }
  },
  "VpcConfig": {
   "type": "structure",
   "members": {
    "SubnetIds": {
     "shape": "SubnetIdList"
    },
    "SecurityGroupIds": {
     "shape": "SecurityGroupIdList"
    }
   }
  }
 }
};
